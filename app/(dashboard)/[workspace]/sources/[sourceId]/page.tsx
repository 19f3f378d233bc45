import type { Metadata } from "next";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { StatTiles } from "@/components/ui/stat-tiles";
import { EventsChart } from "@/components/sources/events-chart";
import { LiveDebugger } from "@/components/sources/live-debugger";
import { RelativeTime } from "@/components/sources/relative-time";
import { TypeChart } from "@/components/sources/type-chart";
import { requireSourcePage } from "@/lib/sources/require-source-page";
import { sourceStats } from "@/lib/sources/source-stats";

export const metadata: Metadata = { title: "Source" };

export default async function SourceOverviewPage({ params }: { params: Promise<{ workspace: string; sourceId: string }> }) {
  const { workspace: slug, sourceId } = await params;
  const { workspace } = await requireSourcePage(slug, sourceId, "sources.read");
  const stats = await sourceStats({ workspaceId: workspace.id, sourceId });
  const tiles = [
    { label: "Accepted, 24 h", value: stats.totals.accepted.toLocaleString("en") },
    { label: "Rejected, 24 h", value: stats.totals.rejected.toLocaleString("en"), alert: stats.totals.rejected > 0 },
    { label: "Last event", value: stats.lastEventAt ? <RelativeTime iso={stats.lastEventAt.toISOString()} /> : "never" },
  ];
  return (
    <div className="space-y-6">
      <StatTiles tiles={tiles} />
      <div className="grid gap-4 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <CardHeader><CardTitle as="h3">Events per minute, last 24 hours</CardTitle></CardHeader>
          <CardContent><EventsChart points={stats.perMinute} endMinute={stats.endMinute} /></CardContent>
        </Card>
        <Card>
          <CardHeader><CardTitle as="h3">By type</CardTitle></CardHeader>
          <CardContent>
            {stats.byType.length ? <TypeChart rows={stats.byType} /> : <p className="py-16 text-center text-sm text-neutral-500">No messages in the last 24 hours.</p>}
          </CardContent>
        </Card>
      </div>
      <LiveDebugger slug={workspace.slug} sourceId={sourceId} />
    </div>
  );
}
