"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/cn";

/** Segments | Computed traits. "Segments" stays current on a segment's own pages (new, edit, view). */
export function SegmentsTabs({ slug }: { slug: string }) {
  const pathname = usePathname();
  const traits = `/${slug}/segments/computed-traits`;
  const onTraits = pathname === traits || pathname.startsWith(`${traits}/`);
  const tabs = [
    { href: `/${slug}/segments`, label: "Segments", active: !onTraits },
    { href: traits, label: "Computed traits", active: onTraits },
  ];
  return (
    <nav aria-label="Audiences" className="mb-6 flex gap-1 overflow-x-auto border-b border-neutral-200">
      {tabs.map((t) => (
        <Link
          key={t.href}
          href={t.href}
          aria-current={t.active ? "page" : undefined}
          className={cn("-mb-px whitespace-nowrap border-b-2 px-3 py-2 text-sm font-medium", t.active ? "border-indigo-600 text-indigo-700" : "border-transparent text-neutral-600 hover:text-neutral-900")}
        >
          {t.label}
        </Link>
      ))}
    </nav>
  );
}
