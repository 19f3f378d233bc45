"use client";

// The profile explorer's interactive parts. All state lives in the URL (?q=&kind=&sort=&dir=&page=),
// so every view is shareable and works with the browser's back button; the server does the
// searching, sorting and paging (lib/profiles/search-profiles.ts).
import { useEffect, useMemo, useRef, type ReactNode } from "react";
import Form from "next/form";
import Link from "next/link";
import { createColumnHelper, flexRender, getCoreRowModel, useReactTable, type SortingState } from "@tanstack/react-table";
import { Building2, ChevronLeft, ChevronRight, Search, User } from "lucide-react";
import { RelativeTime } from "@/components/sources/relative-time";
import { Button, buttonVariants } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Input } from "@/components/ui/input";
import { SortLinkHead } from "@/components/ui/sort-link-head";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
// Types only: the search module runs SQL and must never reach the browser bundle.
import type { ProfileKind, ProfileRow, ProfileSort, SortDirection } from "@/lib/profiles/search-profiles";

export interface ExplorerState {
  query: string;
  kind: ProfileKind;
  sort: ProfileSort;
  direction: SortDirection;
  page: number;
}

/** A profile row as the table shows it (phone numbers already formatted on the server). */
export type ProfileTableRow = Pick<ProfileRow, "id" | "displayName" | "named" | "email" | "phone" | "externalId" | "eventCount" | "sourceCount" | "sourceNames" | "identifierCount"> & {
  lastSeenAt: string;
  firstSeenAt: string;
};

/** The explorer's URL for a state; defaults are left out so URLs stay short. */
function explorerHref(slug: string, state: Partial<ExplorerState>): string {
  const p = new URLSearchParams();
  if (state.query) p.set("q", state.query);
  if (state.kind === "account") p.set("kind", "account");
  if (state.sort && state.sort !== "last_seen") p.set("sort", state.sort);
  if (state.direction === "asc") p.set("dir", "asc");
  if (state.page && state.page > 1) p.set("page", String(state.page));
  const qs = p.toString();
  return `/${slug}/profiles${qs ? `?${qs}` : ""}`;
}

const KIND_NOUN: Record<ProfileKind, [string, string]> = { user: ["person", "people"], account: ["account", "accounts"] };
const kindNoun = (kind: ProfileKind, n: number) => KIND_NOUN[kind][n === 1 ? 0 : 1];

// ---------------------------------------------------------------------------------------------
// Search box and People/Accounts toggle

const isTyping = (el: EventTarget | null) =>
  el instanceof HTMLElement && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));

export function ProfileSearchForm({ slug, state, canSeePii }: { slug: string; state: ExplorerState; canSeePii: boolean }) {
  const input = useRef<HTMLInputElement>(null);
  // "/" anywhere on the page jumps to the search box, as on GitHub and most consoles.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "/" || e.metaKey || e.ctrlKey || e.altKey || isTyping(e.target)) return;
      e.preventDefault();
      input.current?.focus();
      input.current?.select();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  const placeholder = state.kind === "account" ? "Search by group id or account name" : canSeePii ? "Search by email, phone, user id or name" : "Search by name, user id, or a complete email or phone";
  return (
    <Form action={`/${slug}/profiles`} role="search" aria-label="Profiles" className="flex w-full max-w-xl items-center gap-2">
      <div className="relative flex-1">
        <Search aria-hidden className="pointer-events-none absolute left-3 top-1/2 size-4 -translate-y-1/2 text-neutral-400" />
        <Input
          ref={input}
          key={state.query}
          type="search"
          name="q"
          defaultValue={state.query}
          placeholder={placeholder}
          aria-label={state.kind === "account" ? "Search accounts" : "Search people"}
          aria-keyshortcuts="/"
          autoComplete="off"
          spellCheck={false}
          maxLength={200}
          className="pl-9 pr-9 [&::-webkit-search-cancel-button]:hidden"
        />
        <kbd aria-hidden className="pointer-events-none absolute right-2.5 top-1/2 -translate-y-1/2 rounded border border-neutral-300 bg-neutral-50 px-1.5 font-mono text-xs text-neutral-500">/</kbd>
      </div>
      {state.kind === "account" && <input type="hidden" name="kind" value="account" />}
      {state.sort !== "last_seen" && <input type="hidden" name="sort" value={state.sort} />}
      {state.direction === "asc" && <input type="hidden" name="dir" value="asc" />}
      <Button type="submit" variant="outline">Search</Button>
    </Form>
  );
}

export function ProfileKindToggle({ slug, state }: { slug: string; state: ExplorerState }) {
  const options: { kind: ProfileKind; label: string; icon: typeof User }[] = [
    { kind: "user", label: "People", icon: User },
    { kind: "account", label: "Accounts", icon: Building2 },
  ];
  return (
    <nav aria-label="Profile kind" className="inline-flex shrink-0 rounded-md border border-neutral-300 bg-white p-0.5 shadow-xs">
      {options.map(({ kind, label, icon: Icon }) => {
        const active = state.kind === kind;
        return (
          <Link
            key={kind}
            href={explorerHref(slug, { ...state, kind, page: 1 })}
            aria-current={active ? "page" : undefined}
            className={cn(
              "inline-flex h-8 items-center gap-1.5 rounded px-3 text-sm font-medium transition-colors focus-visible:outline-hidden focus-visible:ring-2 focus-visible:ring-indigo-500",
              active ? "bg-indigo-50 text-indigo-700" : "text-neutral-600 hover:bg-neutral-100 hover:text-neutral-900",
            )}
          >
            <Icon aria-hidden className="size-4" />
            {label}
          </Link>
        );
      })}
    </nav>
  );
}

// ---------------------------------------------------------------------------------------------
// Table

const column = createColumnHelper<ProfileTableRow>();
// UTC, so the server-rendered date and the browser's agree (the tooltip says so).
const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" });
const n = (v: number) => v.toLocaleString("en");
const SORT_LABELS: Record<ProfileSort, string> = { last_seen: "last seen", first_seen: "first seen", events: "events" };

const missing = <span className="text-neutral-400">—</span>;

export function ProfilesTable({ slug, rows, state, canSeePii }: { slug: string; rows: ProfileTableRow[]; state: ExplorerState; canSeePii: boolean }) {
  const isAccounts = state.kind === "account";
  const columns = useMemo(
    () => [
      column.accessor("displayName", {
        header: isAccounts ? "Account" : "Name",
        enableSorting: false,
        cell: ({ row: { original: p } }) => (
          <div className="min-w-0">
            <Link
              href={`/${slug}/profiles/${p.id}`}
              className={cn("font-medium text-indigo-700 hover:underline focus-visible:outline-hidden focus-visible:ring-2 focus-visible:ring-indigo-500 rounded-sm", !p.named && p.displayName === "Anonymous visitor" && "italic")}
            >
              {p.displayName}
            </Link>
            {p.externalId && p.externalId !== p.displayName && (
              <div className="truncate text-xs text-neutral-500" title={`${isAccounts ? "Group id" : "User id"} ${p.externalId}`}>
                <span className="font-mono">{p.externalId}</span>
              </div>
            )}
          </div>
        ),
      }),
      ...(isAccounts
        ? []
        : [
            column.accessor("email", {
              header: "Email",
              enableSorting: false,
              cell: (c) => {
                const v = c.getValue();
                return v ? <span className="break-all" title={canSeePii ? undefined : "Masked: your role sees contact details masked"}>{v}</span> : missing;
              },
            }),
            column.accessor("phone", {
              header: "Phone",
              enableSorting: false,
              cell: (c) => {
                const v = c.getValue();
                return v ? <span className="whitespace-nowrap tabular-nums" title={canSeePii ? undefined : "Masked: your role sees contact details masked"}>{v}</span> : missing;
              },
            }),
          ]),
      column.accessor("lastSeenAt", { id: "last_seen", header: "Last seen", cell: (c) => <span className="whitespace-nowrap"><RelativeTime iso={c.getValue()} /></span> }),
      column.accessor("firstSeenAt", {
        id: "first_seen",
        header: "First seen",
        cell: (c) => (
          <time dateTime={c.getValue()} title={new Date(c.getValue()).toISOString().slice(0, 16).replace("T", " ") + " UTC"} className="whitespace-nowrap text-neutral-600">
            {dateFormat.format(new Date(c.getValue()))}
          </time>
        ),
      }),
      column.accessor("eventCount", { id: "events", header: "Events", meta: { numeric: true }, cell: (c) => n(c.getValue()) }),
      column.accessor("sourceCount", {
        header: "Sources",
        enableSorting: false,
        meta: { numeric: true },
        cell: ({ row: { original: p } }) => <span title={p.sourceNames.join(", ") || undefined}>{n(p.sourceCount)}</span>,
      }),
    ],
    [slug, isAccounts, canSeePii],
  );

  const sorting: SortingState = [{ id: state.sort, desc: state.direction === "desc" }];
  // TanStack Table returns non-memoisable functions by design.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({
    data: rows,
    columns,
    state: { sorting },
    manualSorting: true,
    manualPagination: true,
    enableSortingRemoval: false,
    getRowId: (r) => r.id,
    getCoreRowModel: getCoreRowModel(),
  });

  return (
    <Table aria-label={isAccounts ? "Accounts" : "People"} className="rounded-lg">
      <TableHeader>
        {table.getHeaderGroups().map((hg) => (
          <TableRow key={hg.id} className="hover:bg-transparent">
            {hg.headers.map((h) => {
              const numeric = (h.column.columnDef.meta as { numeric?: boolean } | undefined)?.numeric;
              const label = flexRender(h.column.columnDef.header, h.getContext());
              if (!h.column.getCanSort()) return <TableHead key={h.id} className={cn(numeric && "text-right")}>{label}</TableHead>;
              const sort = h.column.id as ProfileSort;
              const sorted = h.column.getIsSorted();
              // First click sorts descending (most recent, most events); a second click flips it.
              const next: SortDirection = sorted === "desc" ? "asc" : "desc";
              return (
                <SortLinkHead
                  key={h.id}
                  sorted={sorted}
                  numeric={numeric}
                  href={explorerHref(slug, { ...state, sort, direction: next, page: 1 })}
                  title={`Sort by ${SORT_LABELS[sort]}, ${next === "desc" ? (sort === "events" ? "most first" : "newest first") : sort === "events" ? "fewest first" : "oldest first"}`}
                >
                  {label}
                </SortLinkHead>
              );
            })}
          </TableRow>
        ))}
      </TableHeader>
      <TableBody>
        {table.getRowModel().rows.map((row) => (
          <TableRow key={row.id} data-testid="profile-row">
            {row.getVisibleCells().map((cell) => {
              const numeric = (cell.column.columnDef.meta as { numeric?: boolean } | undefined)?.numeric;
              return (
                <TableCell key={cell.id} className={cn(numeric && "text-right tabular-nums", cell.column.id === "displayName" && "max-w-64")}>
                  {flexRender(cell.column.columnDef.cell, cell.getContext())}
                </TableCell>
              );
            })}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

// ---------------------------------------------------------------------------------------------
// Pagination

export function ProfilesPagination({
  slug,
  state,
  pageSize,
  shown,
  total,
  totalCapped,
  hasMore,
}: {
  slug: string;
  state: ExplorerState;
  pageSize: number;
  shown: number;
  total: number;
  totalCapped: boolean;
  hasMore: boolean;
}) {
  const from = (state.page - 1) * pageSize + 1;
  const to = from + shown - 1;
  const of = `${n(total)}${totalCapped ? "+" : ""}`;
  const prev = state.page > 1 ? explorerHref(slug, { ...state, page: state.page - 1 }) : null;
  const next = hasMore ? explorerHref(slug, { ...state, page: state.page + 1 }) : null;
  const step = (href: string | null, content: ReactNode, rel: string) =>
    href ? (
      <Link href={href} rel={rel} className={buttonVariants({ variant: "outline", size: "sm" })}>{content}</Link>
    ) : (
      <span aria-disabled="true" className={buttonVariants({ variant: "outline", size: "sm" })}>{content}</span>
    );
  return (
    <nav aria-label="Pagination" className="flex flex-wrap items-center justify-between gap-3 pt-3">
      <p className="text-sm text-neutral-600" data-testid="page-range">
        <span className="font-medium text-neutral-900">{n(from)}–{n(to)}</span> of <span className="font-medium text-neutral-900">{of}</span> {kindNoun(state.kind, totalCapped ? 2 : total)}
      </p>
      <div className="flex items-center gap-2">
        {step(prev, <><ChevronLeft aria-hidden />Previous</>, "prev")}
        {step(next, <>Next<ChevronRight aria-hidden /></>, "next")}
      </div>
    </nav>
  );
}

// ---------------------------------------------------------------------------------------------
// Loading

/** Placeholder rows while a page of profiles loads. */
export function ProfilesTableSkeleton({ rows = 8, label = "Loading profiles…" }: { rows?: number; label?: string }) {
  return (
    <div role="status" aria-live="polite" className="overflow-hidden rounded-lg border border-neutral-200 bg-white">
      <span className="sr-only">{label}</span>
      <div className="h-10 border-b border-neutral-200 bg-neutral-50" />
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="flex items-center gap-6 border-b border-neutral-100 px-3 py-3.5 last:border-0">
          <div className="h-3.5 w-40 animate-pulse rounded bg-neutral-200" />
          <div className="h-3.5 w-48 animate-pulse rounded bg-neutral-100" />
          <div className="h-3.5 w-28 animate-pulse rounded bg-neutral-100" />
          <div className="ml-auto h-3.5 w-16 animate-pulse rounded bg-neutral-100" />
        </div>
      ))}
    </div>
  );
}
