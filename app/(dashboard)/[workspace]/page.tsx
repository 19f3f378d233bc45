import type { Metadata } from "next";
import Link from "next/link";
import { ArrowRight, Database, ListFilter, Send, Users } from "lucide-react";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { StatTiles } from "@/components/ui/stat-tiles";
import { requirePageAccess } from "@/lib/auth/page-access";
import { can, type Permission } from "@/lib/auth/permissions";
import { describeLag, workspaceOverview } from "@/lib/workspaces/workspace-overview";

export const metadata: Metadata = { title: "Overview" };

const STEPS: { title: string; body: string; path: string; cta: string; permission: Permission; icon: typeof Database }[] = [
  { title: "Connect a source", body: "Send events from your website, apps, servers or CSV exports with Segment-compatible SDKs.", path: "/sources", cta: "Open sources", permission: "sources.read", icon: Database },
  { title: "Look up customers", body: "Every person becomes one profile, known or anonymous, with a unified timeline.", path: "/profiles", cta: "Open profiles", permission: "profiles.read", icon: Users },
  { title: "Build an audience", body: "Combine traits and behaviour visually and watch the audience size update live.", path: "/segments", cta: "Open segments", permission: "segments.read", icon: ListFilter },
  { title: "Activate it", body: "Send audiences to ad platforms, email tools and webhooks as people enter and leave.", path: "/destinations", cta: "Open destinations", permission: "destinations.read", icon: Send },
];

export default async function OverviewPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace: slug } = await params;
  const { workspace, role, user } = await requirePageAccess(slug, "workspace.read");
  const steps = STEPS.filter((s) => can(role, s.permission));
  const overview = await workspaceOverview(workspace.id);
  const hasData = overview.eventsLast24h > 0 || overview.profiles > 0 || overview.lag.unprocessedEvents > 0;
  const n = (v: number) => v.toLocaleString("en");
  return (
    <>
      <PageHeader
        title={workspace.name}
        description={hasData ? `Welcome, ${user.name}.` : `Welcome, ${user.name}. No customer data has arrived in this workspace yet: event volume, profiles and pipeline health will show here once a source sends data.`}
      />
      {hasData ? (
        <section aria-label="Workspace figures" className="mt-8">
          <StatTiles
            tiles={[
              { label: "Events, 24 h", value: n(overview.eventsLast24h) },
              { label: "Profiles", value: n(overview.profiles), hint: overview.accounts ? `and ${n(overview.accounts)} accounts` : "people, known or anonymous" },
              {
                label: "Pipeline",
                value: describeLag(overview.lag),
                hint: overview.lag.unprocessedEvents ? `${n(overview.lag.unprocessedEvents)} events waiting to update profiles` : "every event has updated its profile",
                alert: overview.lag.oldestUnprocessedSeconds > 60,
              },
            ]}
          />
        </section>
      ) : null}
      <section aria-labelledby="getting-started" className="mt-8">
        <h2 id="getting-started" className="text-sm font-semibold uppercase tracking-wide text-neutral-500">Getting started</h2>
        <div className="mt-3 grid gap-4 sm:grid-cols-2">
          {steps.map((s, i) => (
            <Card key={s.path}>
              <CardHeader>
                <div className="flex items-center gap-3">
                  <span className="grid size-9 place-items-center rounded-full bg-indigo-50 text-indigo-600"><s.icon aria-hidden className="size-5" /></span>
                  <CardTitle as="h3">{i + 1}. {s.title}</CardTitle>
                </div>
                <CardDescription>{s.body}</CardDescription>
              </CardHeader>
              <CardContent>
                <Link href={`/${workspace.slug}${s.path}`} className="inline-flex items-center gap-1 text-sm font-medium text-indigo-600 hover:underline">
                  {s.cta} <ArrowRight aria-hidden className="size-4" />
                </Link>
              </CardContent>
            </Card>
          ))}
        </div>
      </section>
    </>
  );
}
