// Metric labels must have bounded cardinality: paths are folded onto their route patterns.
const APP_ROOTS = new Set(["", "login", "setup", "workspaces", "favicon.ico", "robots.txt"]);
const ID_LIKE = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d+|[A-Za-z0-9_-]{20,})$/i;

export function routeLabel(pathname: string, status: number): string {
  if (status === 404) return "(not found)";
  const path = pathname.split("?")[0] ?? "/";
  const parts = path.split("/").slice(1);
  const [first = ""] = parts;
  if (first === "_next") return parts[1] === "static" ? "/_next/static" : `/_next/${parts[1] ?? ""}`.replace(/\/$/, "");
  if (first === "api" && parts[1] === "auth") return "/api/auth/[...nextauth]";
  if (first === "v1" && parts[1] === "projects") return "/v1/projects/[writeKey]/settings";
  if (first === "v1" && parts[1] === "spaces") return `/v1/spaces/[space]/collections/${parts[4] === "accounts" ? "accounts" : "users"}/profiles/[id]/${parts[7] ?? ""}`;
  if (first === "api" || first === "v1") {
    return `/${parts.map((p, i) => (i > 0 && parts[i - 1] === "workspaces" && first === "api" ? "[workspace]" : ID_LIKE.test(p) ? "[id]" : p)).join("/")}`;
  }
  if (APP_ROOTS.has(first)) return `/${parts.join("/")}`.replace(/\/$/, "") || "/";
  const rest = parts.slice(1).filter(Boolean).map((p) => (ID_LIKE.test(p) ? "[id]" : p));
  return ["/[workspace]", ...rest].join("/");
}
