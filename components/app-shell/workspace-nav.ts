import { can, type Permission, type Role } from "@/lib/auth/permissions";
import type { SidebarNavItem } from "@/components/app-shell/sidebar-nav";

const SECTIONS: (Omit<SidebarNavItem, "href"> & { path: string; permission: Permission })[] = [
  { path: "", label: "Overview", icon: "overview", permission: "workspace.read" },
  { path: "/sources", label: "Sources", icon: "sources", permission: "sources.read" },
  { path: "/profiles", label: "Profiles", icon: "profiles", permission: "profiles.read" },
  { path: "/segments", label: "Segments", icon: "segments", permission: "segments.read" },
  { path: "/destinations", label: "Destinations", icon: "destinations", permission: "destinations.read" },
  { path: "/identity", label: "Identity", icon: "identity", permission: "identity.read" },
  { path: "/governance", label: "Governance", icon: "governance", permission: "governance.read" },
  { path: "/settings", label: "Settings", icon: "settings", permission: "settings.read" },
];

/** The sections this role may open; the rest are not shown (and their pages answer 403). */
export function workspaceNav(slug: string, role: Role): SidebarNavItem[] {
  return SECTIONS.filter((s) => can(role, s.permission)).map(({ path, label, icon }) => ({ href: `/${slug}${path}`, label, icon }));
}
