import Link from "next/link";
import type { ReactNode } from "react";
import { ArrowDown, ArrowUp, ArrowUpDown } from "lucide-react";
import { cn } from "@/components/ui/cn";
import { TableHead } from "@/components/ui/table";

/**
 * A column header that sorts on the server by following a link (works without JavaScript):
 * aria-sort for assistive technology, an arrow for the current direction.
 */
export function SortLinkHead({ sorted, href, title, numeric, children }: { sorted: false | "asc" | "desc"; href: string; title?: string; numeric?: boolean; children: ReactNode }) {
  const Icon = sorted === "asc" ? ArrowUp : sorted === "desc" ? ArrowDown : ArrowUpDown;
  return (
    <TableHead aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : "none"} className={cn(numeric && "text-right")}>
      <Link
        href={href}
        scroll={false}
        title={title}
        className={cn(
          "inline-flex items-center gap-1 rounded-sm uppercase hover:text-neutral-900 focus-visible:outline-hidden focus-visible:ring-2 focus-visible:ring-indigo-500",
          sorted && "text-neutral-900",
        )}
      >
        {children}
        <Icon aria-hidden className={cn("size-3.5", !sorted && "text-neutral-400")} />
      </Link>
    </TableHead>
  );
}
