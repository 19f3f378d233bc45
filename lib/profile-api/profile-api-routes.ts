// Routes of the Profile API (../shared/contracts/profile-api.md), parsed from the URL path.
export type ProfileResource = "traits" | "external_ids" | "events" | "metadata" | "links";
export interface ProfileApiRoute {
  space: string;
  collection: "users" | "accounts";
  /** `type:value` as sent (URL-decoded). */
  identifier: string;
  resource: ProfileResource;
}

const ROUTE = /^\/v1\/spaces\/([^/]+)\/collections\/(users|accounts)\/profiles\/([^/]+)\/(traits|external_ids|events|metadata|links)\/?$/;
const ACCOUNT_RESOURCES = new Set<ProfileResource>(["traits", "links"]);

export const isProfileApiPath = (pathname: string) => pathname.startsWith("/v1/spaces/");

export function matchProfileApiRoute(pathname: string): ProfileApiRoute | null {
  const m = ROUTE.exec(pathname);
  if (!m) return null;
  const resource = m[4] as ProfileResource;
  if (m[2] === "accounts" && !ACCOUNT_RESOURCES.has(resource)) return null;
  let space: string;
  let identifier: string;
  try {
    space = decodeURIComponent(m[1]);
    identifier = decodeURIComponent(m[3]);
  } catch {
    return null;
  }
  return { space, collection: m[2] as "users" | "accounts", identifier, resource };
}
