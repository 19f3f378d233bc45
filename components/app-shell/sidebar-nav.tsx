"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import {
  Database,
  Fingerprint,
  LayoutDashboard,
  ListFilter,
  Send,
  Settings,
  ShieldCheck,
  Users,
  type LucideIcon,
} from "lucide-react";
import { cn } from "@/components/ui/cn";

const icons = {
  overview: LayoutDashboard,
  sources: Database,
  profiles: Users,
  segments: ListFilter,
  destinations: Send,
  identity: Fingerprint,
  governance: ShieldCheck,
  settings: Settings,
} satisfies Record<string, LucideIcon>;

export type SidebarNavIcon = keyof typeof icons;
export type SidebarNavItem = { href: string; label: string; icon: SidebarNavIcon };

export function SidebarNav({ workspaceSlug, items }: { workspaceSlug: string; items: SidebarNavItem[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Workspace" data-workspace={workspaceSlug}>
      <ul className="space-y-0.5">
        {items.map(({ href, label, icon }) => {
          const Icon = icons[icon];
          const active = pathname === href || (icon !== "overview" && pathname.startsWith(`${href}/`));
          return (
            <li key={href}>
              <Link
                href={href}
                aria-current={active ? "page" : undefined}
                className={cn(
                  "flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium transition-colors focus-visible:outline-hidden focus-visible:ring-2 focus-visible:ring-indigo-500",
                  active
                    ? "bg-indigo-50 text-indigo-700"
                    : "text-neutral-600 hover:bg-neutral-100 hover:text-neutral-900",
                )}
              >
                <Icon aria-hidden className={cn("size-4 shrink-0", active ? "text-indigo-600" : "text-neutral-400")} />
                {label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
