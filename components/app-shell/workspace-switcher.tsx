"use client";

import Link from "next/link";
import { Check, ChevronsUpDown, Plus } from "lucide-react";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuLabel, DropdownMenuSeparator, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";

export function WorkspaceSwitcher({ current, workspaces }: { current: { slug: string; name: string }; workspaces: { slug: string; name: string; role: string }[] }) {
  return (
    <DropdownMenu>
      <DropdownMenuTrigger
        className="flex w-full items-center gap-2 rounded-lg border border-neutral-200 bg-white px-2.5 py-2 text-left text-sm shadow-xs hover:bg-neutral-50 focus-visible:outline-2 focus-visible:outline-indigo-600"
        aria-label={`Workspace: ${current.name}. Switch workspace`}
      >
        <span aria-hidden className="grid size-7 shrink-0 place-items-center rounded-md bg-indigo-600 text-xs font-bold text-white">
          {current.name.slice(0, 1).toUpperCase()}
        </span>
        <span className="min-w-0 flex-1 truncate font-medium">{current.name}</span>
        <ChevronsUpDown aria-hidden className="size-4 text-neutral-400" />
      </DropdownMenuTrigger>
      <DropdownMenuContent align="start" className="w-64">
        <DropdownMenuLabel>Workspaces</DropdownMenuLabel>
        {workspaces.map((w) => (
          <DropdownMenuItem key={w.slug} asChild>
            <Link href={`/${w.slug}`} className="flex items-center gap-2">
              <span className="min-w-0 flex-1 truncate">{w.name}</span>
              <span className="text-xs text-neutral-500">{w.role}</span>
              {w.slug === current.slug && <Check aria-label="current" className="size-4 text-indigo-600" />}
            </Link>
          </DropdownMenuItem>
        ))}
        <DropdownMenuSeparator />
        <DropdownMenuItem asChild>
          <Link href="/workspaces/new" className="flex items-center gap-2">
            <Plus aria-hidden className="size-4" /> New workspace
          </Link>
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
