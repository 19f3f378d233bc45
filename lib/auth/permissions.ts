// The one permission matrix. Pages, server actions and route handlers name a permission from
// here; nothing checks a role directly.
export const ROLES = ["admin", "marketer", "agent"] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  "workspace.read",
  "workspace.update",
  "members.read",
  "members.write",
  "sources.read",
  "sources.write",
  "profiles.read",
  "profiles.read_pii",
  "segments.read",
  "segments.write",
  "destinations.read",
  "destinations.write",
  "identity.read",
  "identity.write",
  "governance.read",
  "governance.write",
  "settings.read",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const MATRIX: Record<Role, readonly Permission[]> = {
  // Admins configure connectors, identity rules, consent, members and keys.
  admin: PERMISSIONS,
  // Marketers build audiences and send them to destinations; they see sources and identity
  // settings but do not change them, and see PII only masked.
  marketer: [
    "workspace.read",
    "sources.read",
    "profiles.read",
    "segments.read",
    "segments.write",
    "destinations.read",
    "destinations.write",
    "identity.read",
  ],
  // Service agents look customers up, with PII.
  agent: ["workspace.read", "profiles.read", "profiles.read_pii", "segments.read"],
};

const GRANTS: Record<Role, ReadonlySet<Permission>> = {
  admin: new Set(MATRIX.admin),
  marketer: new Set(MATRIX.marketer),
  agent: new Set(MATRIX.agent),
};

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role]?.has(permission) ?? false;
}

export function permissionsOf(role: Role): Permission[] {
  return [...GRANTS[role]];
}

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

export const ROLE_LABELS: Record<Role, { label: string; description: string }> = {
  admin: { label: "Admin", description: "Everything, including sources, identity rules, governance, members and keys" },
  marketer: { label: "Marketer", description: "Builds segments and sends them to destinations; sees PII masked" },
  agent: { label: "Service agent", description: "Looks up customer profiles, including contact details" },
};
