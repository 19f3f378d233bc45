"use client";

import { useMemo, useState, useTransition } from "react";
import { createColumnHelper, flexRender, getCoreRowModel, getFilteredRowModel, getSortedRowModel, useReactTable, type SortingState } from "@tanstack/react-table";
import { ArrowDown, ArrowUp, ArrowUpDown } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/select";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { ROLE_LABELS, ROLES, type Role } from "@/lib/auth/permissions";
import { changeMemberRoleAction, removeMemberAction } from "./actions";

export interface MemberView {
  userId: string;
  email: string;
  name: string;
  role: Role;
  joinedAt: string;
  lastLoginAt: string | null;
  disabled: boolean;
}

const column = createColumnHelper<MemberView>();
const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium" });

export function MembersTable({ slug, members, currentUserId }: { slug: string; members: MemberView[]; currentUserId: string }) {
  const [sorting, setSorting] = useState<SortingState>([]);
  const [filter, setFilter] = useState("");
  const [error, setError] = useState<string | null>(null);
  // The member whose removal is being confirmed. Held here, not in the row's cell: the cells are
  // re-created when a pending change finishes, and a dialog inside one closed under the admin's hand.
  const [removing, setRemoving] = useState<MemberView | null>(null);
  const [pending, startTransition] = useTransition();

  const run = (work: () => Promise<{ ok: boolean; error?: { message: string } }>) =>
    startTransition(async () => {
      setError(null);
      const result = await work();
      if (!result.ok) setError(result.error?.message ?? "That did not work.");
    });

  const columns = useMemo(
    () => [
      column.accessor((m) => `${m.name} ${m.email}`, {
        id: "member",
        header: "Member",
        cell: ({ row }) => (
          <div>
            <div className="font-medium">
              {row.original.name} {row.original.userId === currentUserId && <Badge variant="secondary">you</Badge>}{" "}
              {row.original.disabled && <Badge variant="warning">disabled</Badge>}
            </div>
            <div className="text-neutral-500">{row.original.email}</div>
          </div>
        ),
      }),
      column.accessor("role", {
        header: "Role",
        cell: ({ row }) => (
          <NativeSelect
            aria-label={`Role of ${row.original.email}`}
            value={row.original.role}
            disabled={pending}
            onChange={(e) => run(() => changeMemberRoleAction(slug, { userId: row.original.userId, role: e.target.value as Role }))}
            className="w-40"
          >
            {ROLES.map((r) => <option key={r} value={r}>{ROLE_LABELS[r].label}</option>)}
          </NativeSelect>
        ),
      }),
      column.accessor("joinedAt", { header: "Joined", cell: (c) => dateFormat.format(new Date(c.getValue())) }),
      column.accessor("lastLoginAt", { header: "Last sign-in", sortUndefined: "last", cell: (c) => (c.getValue() ? dateFormat.format(new Date(c.getValue()!)) : <span className="text-neutral-400">never</span>) }),
      column.display({
        id: "actions",
        header: () => <span className="sr-only">Actions</span>,
        cell: ({ row }) => (
          <Button variant="ghost" size="sm" className="text-red-600 hover:text-red-700" aria-haspopup="dialog" aria-label={`Remove ${row.original.email}`} onClick={() => setRemoving(row.original)}>Remove</Button>
        ),
      }),
    ],
    [slug, currentUserId, pending],
  );

  // TanStack Table returns non-memoisable functions by design.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({
    data: members,
    columns,
    state: { sorting, globalFilter: filter },
    onSortingChange: setSorting,
    onGlobalFilterChange: setFilter,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
  });

  return (
    <section aria-labelledby="members-heading" className="space-y-3">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h2 id="members-heading" className="text-base font-semibold">{members.length} {members.length === 1 ? "member" : "members"}</h2>
        <Input type="search" placeholder="Filter by name or email" aria-label="Filter members" value={filter} onChange={(e) => setFilter(e.target.value)} className="w-64" />
      </div>
      {error && <Alert variant="error">{error}</Alert>}
      <Table>
        <TableHeader>
          {table.getHeaderGroups().map((hg) => (
            <TableRow key={hg.id}>
              {hg.headers.map((h) => {
                const sorted = h.column.getIsSorted();
                return (
                  <TableHead key={h.id} aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}>
                    {h.column.getCanSort() ? (
                      <button type="button" className="inline-flex items-center gap-1" onClick={h.column.getToggleSortingHandler()}>
                        {flexRender(h.column.columnDef.header, h.getContext())}
                        {sorted === "asc" ? <ArrowUp aria-hidden className="size-3.5" /> : sorted === "desc" ? <ArrowDown aria-hidden className="size-3.5" /> : <ArrowUpDown aria-hidden className="size-3.5 text-neutral-400" />}
                      </button>
                    ) : (
                      flexRender(h.column.columnDef.header, h.getContext())
                    )}
                  </TableHead>
                );
              })}
            </TableRow>
          ))}
        </TableHeader>
        <TableBody>
          {table.getRowModel().rows.length === 0 ? (
            <TableRow><TableCell colSpan={columns.length} className="py-8 text-center text-neutral-500">No member matches “{filter}”.</TableCell></TableRow>
          ) : (
            table.getRowModel().rows.map((row) => (
              <TableRow key={row.id} data-testid={`member-${row.original.email}`}>
                {row.getVisibleCells().map((cell) => <TableCell key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</TableCell>)}
              </TableRow>
            ))
          )}
        </TableBody>
      </Table>
      <Dialog open={removing !== null} onOpenChange={(open) => !open && setRemoving(null)}>
        {removing && (
          <DialogContent>
            <DialogHeader>
              <DialogTitle>Remove {removing.name}?</DialogTitle>
              <DialogDescription>{removing.email} loses access to this workspace at once. Their account and other workspaces are not affected.</DialogDescription>
            </DialogHeader>
            <DialogFooter>
              <DialogClose asChild><Button variant="outline">Cancel</Button></DialogClose>
              <DialogClose asChild>
                <Button variant="destructive" onClick={() => run(() => removeMemberAction(slug, { userId: removing.userId }))}>Remove member</Button>
              </DialogClose>
            </DialogFooter>
          </DialogContent>
        )}
      </Dialog>
    </section>
  );
}
