"use client";

// The members of a segment. All state lives in the URL (?q=&sort=&dir=&page=), the server searches,
// sorts and pages (lib/segments/segment-members.ts); this renders the table and its controls.
import { useMemo, type ReactNode } from "react";
import Form from "next/form";
import Link from "next/link";
import { createColumnHelper, flexRender, getCoreRowModel, useReactTable, type SortingState } from "@tanstack/react-table";
import { ChevronLeft, ChevronRight, Download, Search } from "lucide-react";
import { RelativeTime } from "@/components/sources/relative-time";
import { Button, buttonVariants } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Input } from "@/components/ui/input";
import { SortLinkHead } from "@/components/ui/sort-link-head";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
// Types only: the members module runs SQL and must never reach the browser bundle.
import type { MemberSort, MemberSortDirection } from "@/lib/segments/segment-members";
import { DEFAULT_MEMBER_DIRECTION, membersHref, type MembersState } from "@/components/segments/members-href";

export interface MemberRow {
  id: string;
  displayName: string;
  named: boolean;
  email: string | null;
  lastSeenAt: string;
  enteredAt: string;
}

export function MembersSearch({ base, state, csvHref, canSeePii }: { base: string; state: MembersState; csvHref: string; canSeePii: boolean }) {
  return (
    <div className="flex flex-col gap-2 sm:flex-row sm:items-center sm:justify-between">
      <Form action={base} role="search" aria-label="Members" className="flex w-full max-w-md items-center gap-2">
        <div className="relative flex-1">
          <Search aria-hidden className="pointer-events-none absolute left-3 top-1/2 size-4 -translate-y-1/2 text-neutral-400" />
          <Input
            key={state.query}
            type="search"
            name="q"
            defaultValue={state.query}
            placeholder={canSeePii ? "Search by name or email" : "Search by name, or a complete email"}
            aria-label="Search members"
            autoComplete="off"
            maxLength={200}
            className="pl-9"
          />
        </div>
        {state.sort !== "entered" && <input type="hidden" name="sort" value={state.sort} />}
        <Button type="submit" variant="outline">Search</Button>
      </Form>
      <a href={csvHref} className={buttonVariants({ variant: "outline" })} download>
        <Download aria-hidden /> Export CSV
      </a>
    </div>
  );
}

const column = createColumnHelper<MemberRow>();
const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const SORT_LABELS: Record<MemberSort, string> = { entered: "date entered", name: "name", last_seen: "last seen" };

export function SegmentMembersTable({ slug, base, rows, state }: { slug: string; base: string; rows: MemberRow[]; state: MembersState }) {
  const columns = useMemo(
    () => [
      column.accessor("displayName", {
        id: "name",
        header: "Name",
        cell: ({ row: { original: m } }) => (
          <Link href={`/${slug}/profiles/${m.id}`} className={cn("font-medium text-indigo-700 hover:underline", !m.named && m.displayName === "Anonymous visitor" && "italic")}>
            {m.displayName}
          </Link>
        ),
      }),
      column.accessor("email", {
        header: "Email",
        enableSorting: false,
        cell: (c) => c.getValue() ?? <span className="text-neutral-400">—</span>,
      }),
      column.accessor("enteredAt", {
        id: "entered",
        header: "Entered",
        cell: (c) => (
          <time dateTime={c.getValue()} className="whitespace-nowrap text-neutral-700" title="UTC">
            {dateFormat.format(new Date(c.getValue()))}
          </time>
        ),
      }),
      column.accessor("lastSeenAt", { id: "last_seen", header: "Last seen", cell: (c) => <span className="whitespace-nowrap"><RelativeTime iso={c.getValue()} /></span> }),
    ],
    [slug],
  );
  const sorting: SortingState = [{ id: state.sort, desc: state.direction === "desc" }];
  // TanStack Table returns non-memoisable functions by design.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({ data: rows, columns, state: { sorting }, manualSorting: true, manualPagination: true, enableSortingRemoval: false, getRowId: (r) => r.id, getCoreRowModel: getCoreRowModel() });

  return (
    <Table aria-label="Members" className="rounded-lg">
      <TableHeader>
        {table.getHeaderGroups().map((hg) => (
          <TableRow key={hg.id} className="hover:bg-transparent">
            {hg.headers.map((h) => {
              const label = flexRender(h.column.columnDef.header, h.getContext());
              if (!h.column.getCanSort()) return <TableHead key={h.id}>{label}</TableHead>;
              const sort = h.column.id as MemberSort;
              const sorted = h.column.getIsSorted();
              const next: MemberSortDirection = sorted ? (sorted === "desc" ? "asc" : "desc") : DEFAULT_MEMBER_DIRECTION[sort];
              return (
                <SortLinkHead key={h.id} sorted={sorted} href={membersHref(base, { ...state, sort, direction: next, page: 1 })} title={`Sort by ${SORT_LABELS[sort]}`}>
                  {label}
                </SortLinkHead>
              );
            })}
          </TableRow>
        ))}
      </TableHeader>
      <TableBody>
        {table.getRowModel().rows.map((row) => (
          <TableRow key={row.id} data-testid="member-row">
            {row.getVisibleCells().map((cell) => (
              <TableCell key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</TableCell>
            ))}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

export function MembersPagination({ base, state, pageSize, shown, total, totalCapped, hasMore }: { base: string; state: MembersState; pageSize: number; shown: number; total: number; totalCapped: boolean; hasMore: boolean }) {
  const from = (state.page - 1) * pageSize + 1;
  const to = from + shown - 1;
  const n = (v: number) => v.toLocaleString("en");
  const step = (href: string | null, content: ReactNode, rel: string) =>
    href ? (
      <Link href={href} rel={rel} scroll={false} className={buttonVariants({ variant: "outline", size: "sm" })}>{content}</Link>
    ) : (
      <span aria-disabled="true" className={buttonVariants({ variant: "outline", size: "sm" })}>{content}</span>
    );
  return (
    <nav aria-label="Members pagination" className="flex flex-wrap items-center justify-between gap-3 pt-3">
      <p className="text-sm text-neutral-600" data-testid="members-range">
        <span className="font-medium text-neutral-900">{n(from)}–{n(to)}</span> of <span className="font-medium text-neutral-900">{n(total)}{totalCapped ? "+" : ""}</span>
      </p>
      <div className="flex items-center gap-2">
        {step(state.page > 1 ? membersHref(base, { ...state, page: state.page - 1 }) : null, <><ChevronLeft aria-hidden />Previous</>, "prev")}
        {step(hasMore ? membersHref(base, { ...state, page: state.page + 1 }) : null, <>Next<ChevronRight aria-hidden /></>, "next")}
      </div>
    </nav>
  );
}
