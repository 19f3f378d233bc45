import type { Metadata } from "next";
import Link from "next/link";
import { AlertTriangle, ListFilter, Plus, SearchX } from "lucide-react";
import { RelativeTime } from "@/components/sources/relative-time";
import { Badge } from "@/components/ui/badge";
import { buttonVariants } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { ListSearchForm } from "@/components/ui/list-search-form";
import { PageLinks } from "@/components/ui/page-links";
import { SortLinkHead } from "@/components/ui/sort-link-head";
import { Table, TableBody, TableCell, TableHeader, TableRow } from "@/components/ui/table";
import { requirePageAccess } from "@/lib/auth/page-access";
import { can } from "@/lib/auth/permissions";
import { listSegments, parseSegmentListParams, type SegmentListSort } from "@/lib/segments/list-segments";

export const metadata: Metadata = { title: "Segments" };

type SearchParams = Record<string, string | string[] | undefined>;
type ListState = ReturnType<typeof parseSegmentListParams>;

function listHref(slug: string, s: Partial<ListState>) {
  const p = new URLSearchParams();
  if (s.query) p.set("q", s.query);
  if (s.sort && s.sort !== "name") p.set("sort", s.sort);
  if (s.direction) p.set("dir", s.direction);
  if (s.page && s.page > 1) p.set("page", String(s.page));
  const qs = p.toString();
  return `/${slug}/segments${qs ? `?${qs}` : ""}`;
}

export default async function SegmentsPage({ params, searchParams }: { params: Promise<{ workspace: string }>; searchParams: Promise<SearchParams> }) {
  const { workspace, role } = await requirePageAccess((await params).workspace, "segments.read");
  const state = parseSegmentListParams(await searchParams);
  const list = await listSegments({ workspaceId: workspace.id, ...state });
  const canWrite = can(role, "segments.write");
  const newButton = canWrite && (
    <Link href={`/${workspace.slug}/segments/new`} className={buttonVariants()}>
      <Plus aria-hidden /> New segment
    </Link>
  );
  const header = <PageHeader title="Segments" description="Audiences built from traits, events and other segments. Members update as events arrive." actions={list.total > 0 || state.query ? newButton : null} />;

  if (list.total === 0 && !state.query && state.page === 1) {
    return (
      <>
        {header}
        <EmptyState
          icon={ListFilter}
          title="No segments yet"
          description="A segment is a group of people who share traits or behaviour, such as “ordered twice in the last 30 days and lives in Germany”. Build one visually and see how many people match while you build it."
          action={newButton || <p className="text-sm text-neutral-500">Ask a marketer or an admin to create the first segment.</p>}
        />
      </>
    );
  }

  const sortHeader = (sort: SegmentListSort, label: string, numeric = false) => {
    const active = list.sort === sort;
    const next = active ? (list.direction === "asc" ? "desc" : "asc") : sort === "name" ? "asc" : "desc";
    return (
      <SortLinkHead sorted={active && list.direction} href={listHref(workspace.slug, { ...state, sort, direction: next, page: 1 })} numeric={numeric}>
        {label}
      </SortLinkHead>
    );
  };

  return (
    <>
      {header}
      <ListSearchForm action={`/${workspace.slug}/segments`} label="Segments" inputLabel="Find a segment" placeholder="Find a segment by name" query={state.query} />
      {list.rows.length === 0 ? (
        <EmptyState
          icon={SearchX}
          title={state.query ? `No segment matches “${state.query}”` : "Nothing on this page"}
          description={state.query ? "Search looks for the text anywhere in a segment's name." : `There are ${list.total} segments, but not this many pages of them.`}
          action={<Link href={`/${workspace.slug}/segments`} className={buttonVariants({ variant: "outline" })}>Show all segments</Link>}
        />
      ) : (
        <>
          <Table aria-label="Segments" data-testid="segments-table">
            <TableHeader>
              <TableRow className="hover:bg-transparent">
                {sortHeader("name", "Name")}
                {sortHeader("size", "Size", true)}
                {sortHeader("evaluated", "Last evaluated")}
                {sortHeader("updated", "Updated")}
              </TableRow>
            </TableHeader>
            <TableBody>
              {list.rows.map((s) => (
                <TableRow key={s.id} data-testid="segment-row">
                  <TableCell className="max-w-md">
                    <Link href={`/${workspace.slug}/segments/${s.id}`} className="font-medium text-indigo-700 hover:underline">{s.name}</Link>
                    {(s.brokenReference || s.lastError) && (
                      <Badge variant="warning" className="ml-2" title={s.lastError ?? "Its rule refers to a deleted segment or computed trait."}>
                        <AlertTriangle aria-hidden /> {s.brokenReference ? "Broken reference" : "Evaluation failed"}
                      </Badge>
                    )}
                    {s.description && <p className="truncate text-xs text-neutral-500">{s.description}</p>}
                  </TableCell>
                  <TableCell className="text-right font-medium tabular-nums">{s.memberCount.toLocaleString("en")}</TableCell>
                  <TableCell>{s.evaluatedAt ? <RelativeTime iso={s.evaluatedAt.toISOString()} /> : <span className="text-neutral-400">never</span>}</TableCell>
                  <TableCell><RelativeTime iso={s.updatedAt.toISOString()} /></TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <PageLinks
            page={list.page}
            pages={Math.ceil(list.total / list.pageSize)}
            previousHref={list.page > 1 ? listHref(workspace.slug, { ...state, page: list.page - 1 }) : null}
            nextHref={list.hasMore ? listHref(workspace.slug, { ...state, page: list.page + 1 }) : null}
          />
        </>
      )}
    </>
  );
}
