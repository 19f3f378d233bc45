import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ArrowLeft, Pencil, SearchX, Users } from "lucide-react";
import { ConfirmDeleteButton } from "@/components/ui/confirm-delete-button";
import { SegmentChangesChart, SegmentSizeChart } from "@/components/segments/segment-history-charts";
import { membersHref, type MembersState } from "@/components/segments/members-href";
import { MembersPagination, MembersSearch, SegmentMembersTable } from "@/components/segments/segment-members-table";
import { RelativeTime } from "@/components/sources/relative-time";
import { Alert } from "@/components/ui/alert";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { StatTiles } from "@/components/ui/stat-tiles";
import { requirePageAccess } from "@/lib/auth/page-access";
import { can } from "@/lib/auth/permissions";
import { getSegment } from "@/lib/segments/get-segment";
import { segmentHistory } from "@/lib/segments/segment-history";
import { listSegmentMembers, parseMemberParams } from "@/lib/segments/segment-members";
import { deleteSegmentAction } from "../../actions";

export const metadata: Metadata = { title: "Segment" };

type SearchParams = Record<string, string | string[] | undefined>;
const n = (v: number) => v.toLocaleString("en");

export default async function SegmentPage({ params, searchParams }: { params: Promise<{ workspace: string; segmentId: string }>; searchParams: Promise<SearchParams> }) {
  const { workspace: slug, segmentId } = await params;
  const { workspace, role } = await requirePageAccess(slug, "segments.read");
  const segment = await getSegment({ workspaceId: workspace.id, segmentId });
  if (!segment) notFound();
  const state: MembersState = parseMemberParams(await searchParams);
  const canWrite = can(role, "segments.write");
  const canSeePii = can(role, "profiles.read_pii");
  const [history, members] = await Promise.all([
    segmentHistory({ workspaceId: workspace.id, segmentId: segment.id, currentSize: segment.memberCount }),
    listSegmentMembers({ workspaceId: workspace.id, segmentId: segment.id, canSeePii, ...state }),
  ]);
  const base = `/${workspace.slug}/segments/${segment.id}`;
  const week = history.slice(-7);
  const entered7 = week.reduce((s, d) => s + d.entered, 0);
  const exited7 = week.reduce((s, d) => s + d.exited, 0);
  const deleted = segment.deletedReferences.segmentIds.length + segment.deletedReferences.computedTraitIds.length;

  return (
    <>
      <Link href={`/${workspace.slug}/segments`} className="inline-flex items-center gap-1 text-sm text-neutral-600 hover:text-neutral-900">
        <ArrowLeft aria-hidden className="size-4" /> Segments
      </Link>
      <PageHeader
        className="mt-2"
        title={segment.name}
        description={segment.description || undefined}
        actions={
          canWrite && (
            <>
              <Link href={`${base}/edit`} className={buttonVariants()}>
                <Pencil aria-hidden /> Edit
              </Link>
              <ConfirmDeleteButton
                slug={workspace.slug}
                name={segment.name}
                consequence={`Its ${segment.memberCount.toLocaleString("en")} ${segment.memberCount === 1 ? "member leaves" : "members leave"} it, and segments that refer to it will be flagged as broken. The profiles themselves stay.`}
                confirmLabel="Delete segment"
                action={deleteSegmentAction}
                input={{ segmentId: segment.id }}
                redirectTo={`/${workspace.slug}/segments`}
              />
            </>
          )
        }
      />

      <div className="space-y-3">
        {deleted > 0 && (
          <Alert variant="error" title="This segment refers to something that was deleted">
            Its rule uses {segment.deletedReferences.segmentIds.length > 0 ? "a segment" : "a computed trait"} that no longer exists, so its members are not kept up to date.
            {canWrite ? " Edit the rule to replace or remove that condition." : " Ask a marketer to fix the rule."}
          </Alert>
        )}
        {segment.lastError && deleted === 0 && (
          <Alert variant="error" title="The last evaluation failed">
            {segment.lastError} The members below are from the last successful evaluation.
          </Alert>
        )}
      </div>

      <Card className="mt-4" data-testid="segment-definition">
        <CardHeader className="pb-2">
          <CardTitle>Who is in it</CardTitle>
        </CardHeader>
        <CardContent>
          <p className="text-base leading-relaxed text-neutral-900" data-testid="rule-in-words">{segment.ruleInWords}</p>
          <p className="mt-2 text-xs text-neutral-500">
            Updated <RelativeTime iso={segment.updatedAt.toISOString()} />
            {segment.updatedByName ? ` by ${segment.updatedByName}` : ""} · key <code className="font-mono">{segment.key}</code>
          </p>
        </CardContent>
      </Card>

      <div className="mt-6">
        <StatTiles
          tiles={[
            { label: "Members now", value: <span data-testid="member-count">{n(segment.memberCount)}</span>, hint: "People who match the rule" },
            { label: "Entered, last 7 days", value: n(entered7) },
            { label: "Left, last 7 days", value: n(exited7) },
            { label: "Last evaluated", value: segment.evaluatedAt ? <span className="text-lg"><RelativeTime iso={segment.evaluatedAt.toISOString()} /></span> : <span className="text-lg text-neutral-400">not yet</span>, hint: "New events update members as they arrive" },
          ]}
        />
      </div>

      <div className="mt-6 grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader className="pb-2">
            <CardTitle>Size, last 90 days</CardTitle>
            <CardDescription>Members at the end of each day (UTC).</CardDescription>
          </CardHeader>
          <CardContent>
            <SegmentSizeChart days={history} />
          </CardContent>
        </Card>
        <Card>
          <CardHeader className="pb-2">
            <CardTitle>Entered and left per day</CardTitle>
            <CardDescription>{n(history.reduce((s, d) => s + d.entered, 0))} entered and {n(history.reduce((s, d) => s + d.exited, 0))} left in 90 days.</CardDescription>
          </CardHeader>
          <CardContent>
            <SegmentChangesChart days={history} />
          </CardContent>
        </Card>
      </div>

      <section id="members" aria-labelledby="members-title" className="mt-8 scroll-mt-6">
        <h2 id="members-title" className="mb-3 text-lg font-semibold text-neutral-900">Members</h2>
        <MembersSearch base={base} state={state} csvHref={`/api/workspaces/${workspace.slug}/segments/${segment.id}/members`} canSeePii={canSeePii} />
        <div className="mt-4">
          {members.rows.length > 0 ? (
            <>
              {state.query && (
                <p className="mb-3 text-sm text-neutral-600" role="status">
                  {n(members.total)} {members.total === 1 ? "member matches" : "members match"} “{state.query}” ·{" "}
                  <Link href={membersHref(base, { sort: state.sort, direction: state.direction })} className="font-medium text-indigo-700 hover:underline">Clear search</Link>
                </p>
              )}
              <SegmentMembersTable
                slug={workspace.slug}
                base={base}
                state={{ ...state, page: members.page }}
                rows={members.rows.map((m) => ({ ...m, enteredAt: m.enteredAt.toISOString(), lastSeenAt: m.lastSeenAt.toISOString() }))}
              />
              <MembersPagination base={base} state={{ ...state, page: members.page }} pageSize={members.pageSize} shown={members.rows.length} total={members.total} totalCapped={members.totalCapped} hasMore={members.hasMore} />
            </>
          ) : state.query ? (
            <EmptyState icon={SearchX} title={`No member matches “${state.query}”`} description={canSeePii ? "Search matches the start of a name or an email address." : "Search matches the start of a name, or a complete email address."} action={<Link href={membersHref(base, {})} className={buttonVariants({ variant: "outline" })}>Clear search</Link>} />
          ) : (
            <EmptyState icon={Users} title="Nobody is in this segment yet" description="People enter as soon as they match the rule: when new events or traits arrive, or when the rule is changed." />
          )}
        </div>
      </section>
    </>
  );
}
