// Workspace slugs are the first URL segment (/acme/profiles), so they must not shadow app routes.
export const RESERVED_SLUGS = new Set([
  "api", "v1", "login", "logout", "setup", "workspaces", "_next", "static", "public", "assets",
  "favicon.ico", "robots.txt", "settings", "admin", "auth", "health", "metrics", "new",
]);

export function slugify(name: string): string {
  const base = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/g, "");
  if (!base) return "workspace";
  return RESERVED_SLUGS.has(base) ? `${base}-workspace` : base;
}
