import Link from "next/link";
import { AlertTriangle, Clock } from "lucide-react";
import { RelativeTime } from "@/components/sources/relative-time";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { PageLinks } from "@/components/ui/page-links";
import { SortLinkHead } from "@/components/ui/sort-link-head";
import { isWindowed } from "@/lib/computed-traits/computed-trait-definition";
import type { ComputedTraitList, ComputedTraitSort, parseComputedTraitListParams } from "@/lib/computed-traits/list-computed-traits";

type ListState = ReturnType<typeof parseComputedTraitListParams>;

export function computedTraitsHref(slug: string, s: Partial<ListState>) {
  const p = new URLSearchParams();
  if (s.query) p.set("q", s.query);
  if (s.sort && s.sort !== "name") p.set("sort", s.sort);
  if (s.direction) p.set("dir", s.direction);
  if (s.page && s.page > 1) p.set("page", String(s.page));
  const qs = p.toString();
  return `/${slug}/segments/computed-traits${qs ? `?${qs}` : ""}`;
}

/** The list, sorted and paged on the server through links (works without JavaScript). */
export function ComputedTraitsTable({ slug, list, state }: { slug: string; list: ComputedTraitList; state: ListState }) {
  const sortHeader = (sort: ComputedTraitSort, label: string) => {
    const active = list.sort === sort;
    const next = active ? (list.direction === "asc" ? "desc" : "asc") : sort === "name" || sort === "key" ? "asc" : "desc";
    return (
      <SortLinkHead sorted={active && list.direction} href={computedTraitsHref(slug, { ...state, sort, direction: next, page: 1 })}>
        {label}
      </SortLinkHead>
    );
  };
  return (
    <>
      <Table aria-label="Computed traits" data-testid="computed-traits-table">
        <TableHeader>
          <TableRow className="hover:bg-transparent">
            {sortHeader("name", "Name")}
            {sortHeader("key", "Key")}
            <TableHead>Definition</TableHead>
            <TableHead className="text-right">Profiles</TableHead>
            {sortHeader("evaluated", "Last computed")}
          </TableRow>
        </TableHeader>
        <TableBody>
          {list.rows.map((t) => (
            <TableRow key={t.id} data-testid="computed-trait-row">
              <TableCell className="max-w-xs">
                <Link href={`/${slug}/segments/computed-traits/${t.id}`} className="font-medium text-indigo-700 hover:underline">{t.name}</Link>
                {t.lastError && (
                  <Badge variant="warning" className="ml-2" title={t.lastError}>
                    <AlertTriangle aria-hidden /> Computation failed
                  </Badge>
                )}
              </TableCell>
              <TableCell><code className="font-mono text-xs text-neutral-700">{t.key}</code></TableCell>
              <TableCell className="max-w-md text-sm text-neutral-700">
                {t.description}
                {t.definition && isWindowed(t.definition) && (
                  <span className="ml-1.5 inline-flex items-center gap-0.5 text-xs text-neutral-500" title="Recomputed every day after midnight UTC, when the oldest day leaves the window">
                    <Clock aria-hidden className="size-3" /> daily
                  </span>
                )}
              </TableCell>
              <TableCell className="text-right font-medium tabular-nums">{t.profiles.toLocaleString("en")}</TableCell>
              <TableCell>{t.evaluatedAt ? <RelativeTime iso={t.evaluatedAt.toISOString()} /> : <span className="text-neutral-400">never</span>}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <PageLinks
        page={list.page}
        pages={Math.ceil(list.total / list.pageSize)}
        previousHref={list.page > 1 ? computedTraitsHref(slug, { ...state, page: list.page - 1 }) : null}
        nextHref={list.hasMore ? computedTraitsHref(slug, { ...state, page: list.page + 1 }) : null}
      />
    </>
  );
}
