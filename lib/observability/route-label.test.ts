import { describe, expect, it } from "vitest";
import { routeLabel } from "@/lib/observability/route-label";

describe("routeLabel", () => {
  it.each([
    ["/", 307, "/"],
    ["/login?callbackUrl=%2Fx", 200, "/login"],
    ["/setup", 200, "/setup"],
    ["/workspaces/new", 200, "/workspaces/new"],
    ["/acme", 200, "/[workspace]"],
    ["/acme/settings/members", 200, "/[workspace]/settings/members"],
    ["/demo/profiles/6f1c2a8e-1b2c-4d5e-8f90-123456789abc", 200, "/[workspace]/profiles/[id]"],
    ["/api/auth/callback/credentials", 302, "/api/auth/[...nextauth]"],
    ["/api/health", 503, "/api/health"],
    ["/api/workspaces/acme/sources/6f1c2a8e-1b2c-4d5e-8f90-123456789abc/activity", 200, "/api/workspaces/[workspace]/sources/[id]/activity"],
    ["/v1/batch", 200, "/v1/batch"],
    ["/v1/projects/abc/settings", 200, "/v1/projects/[writeKey]/settings"],
    ["/v1/spaces/demo/collections/users/profiles/email:ann%40x.io/traits", 200, "/v1/spaces/[space]/collections/users/profiles/[id]/traits"],
    ["/v1/spaces/demo/collections/accounts/profiles/group_id:acme/links", 200, "/v1/spaces/[space]/collections/accounts/profiles/[id]/links"],
    ["/_next/static/chunks/abc.js", 200, "/_next/static"],
    ["/anything/at/all", 404, "(not found)"],
  ])("%s (%i) → %s", (path, status, label) => {
    expect(routeLabel(path, status)).toBe(label);
  });
});
