"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/cn";

export function SettingsTabs({ slug }: { slug: string }) {
  const pathname = usePathname();
  const tabs = [
    { href: `/${slug}/settings`, label: "General" },
    { href: `/${slug}/settings/members`, label: "Members" },
  ];
  return (
    <nav aria-label="Settings sections" className="mt-6 flex gap-1 border-b border-neutral-200">
      {tabs.map((t) => {
        const active = pathname === t.href;
        return (
          <Link
            key={t.href}
            href={t.href}
            aria-current={active ? "page" : undefined}
            className={cn("-mb-px border-b-2 px-3 py-2 text-sm font-medium", active ? "border-indigo-600 text-indigo-700" : "border-transparent text-neutral-600 hover:text-neutral-900")}
          >
            {t.label}
          </Link>
        );
      })}
    </nav>
  );
}
