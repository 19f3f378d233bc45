// The Profile API (../shared/contracts/profile-api.md): Segment's Profile API, served by Tessera.
// Auth is a workspace's access token as the Basic user name; every answer carries a Request-Id.
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { getIdentitySettings } from "@/lib/identity/get-identity-settings";
import { WriteKeyRateLimiter } from "@/lib/ingest/write-key-rate-limit";
import { resolveApiToken } from "@/lib/profile-api/api-tokens";
import { findProfile } from "@/lib/profile-api/find-profile";
import { matchProfileApiRoute } from "@/lib/profile-api/profile-api-routes";
import { readEvents, readExternalIds, readLinks, readMetadata, readTraits } from "@/lib/profile-api/profile-api-queries";

export interface ProfileApiRequest {
  method: string;
  /** Path and query string. */
  url: string;
  authorization?: string | null;
}
export interface ProfileApiResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const limiters = new Map<number, WriteKeyRateLimiter>();
const limiterFor = (perSecond: number) => {
  let l = limiters.get(perSecond);
  if (!l) limiters.set(perSecond, (l = new WriteKeyRateLimiter(perSecond, perSecond)));
  return l;
};

function tokenFrom(authorization: string | null | undefined): string | null {
  if (!authorization) return null;
  const [scheme, value] = authorization.split(/\s+/, 2);
  if (!value) return null;
  if (/^basic$/i.test(scheme)) return Buffer.from(value, "base64").toString("utf8").split(":")[0].trim() || null;
  if (/^bearer$/i.test(scheme)) return value.trim() || null;
  return null;
}

export async function handleProfileApiRequest(req: ProfileApiRequest, pool: pg.Pool): Promise<ProfileApiResponse> {
  const requestId = randomUUID();
  const answer = (status: number, body: unknown, extra: Record<string, string> = {}): ProfileApiResponse => ({
    status,
    headers: { "Content-Type": "application/json", "Request-Id": requestId, "Cache-Control": "no-store", ...extra },
    body: JSON.stringify(body),
  });
  const error = (status: number, code: string, message: string, extra: Record<string, string> = {}) => answer(status, { error: { code, message } }, extra);

  if (req.method !== "GET") return error(405, "method_not_allowed", "The Profile API is read-only: use GET.", { Allow: "GET" });
  const token = tokenFrom(req.authorization);
  if (!token) return error(401, "authentication_error", "Send an access token as the Basic auth user name (with an empty password).");
  const access = await resolveApiToken(token, pool);
  if (!access) return error(401, "authentication_error", "The access token is not valid or was revoked.");
  const wait = limiterFor(access.rateLimitPerSecond).take(access.tokenId, 1);
  if (wait > 0) return error(429, "rate_limit_error", `This token may make ${access.rateLimitPerSecond} requests per second.`, { "Retry-After": String(wait) });

  const url = new URL(req.url, "http://profile-api.local");
  const route = matchProfileApiRoute(url.pathname);
  if (!route) return error(404, "not_found", "No such route. See /v1/spaces/{space_id}/collections/users/profiles/{id_type}:{id}/traits.");
  const { rows: [ws] } = await pool.query<{ id: string; slug: string }>(`SELECT id, slug FROM workspaces WHERE id = $1`, [access.workspaceId]);
  if (!ws || (route.space !== ws.id && route.space !== ws.slug)) return error(404, "not_found", "Space was not found.");

  const q = url.searchParams;
  const isList = route.resource !== "traits";
  const limitText = q.get("limit");
  const limit = limitText === null ? 10 : Number(limitText);
  const maxLimit = isList ? 100 : 200;
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit) return error(400, "validation_error", `limit must be a whole number from 1 to ${maxLimit}.`);
  for (const field of ["start", "end"]) {
    const v = q.get(field);
    if (v !== null && Number.isNaN(Date.parse(v))) return error(400, "validation_error", `${field} must be an ISO 8601 date, e.g. 2026-01-31T00:00:00Z.`);
  }
  const cls = q.get("class");
  if (cls !== null && cls !== "audience" && cls !== "computed_trait") return error(400, "validation_error", "class must be audience or computed_trait.");

  const found = await findProfile(pool, ws.id, route.collection, route.identifier, await getIdentitySettings(pool, ws.id));
  if (!found.ok) return error(400, "validation_error", found.message);
  if (!found.profileId) return error(404, "not_found", "Profile was not found.");
  const id = found.profileId;

  const cursor = (page: { hasMore: boolean; next: string }) => {
    const nextUrl = new URL(url);
    if (page.hasMore) nextUrl.searchParams.set("next", page.next);
    return { url: page.hasMore ? `${nextUrl.pathname}${nextUrl.search}` : "", has_more: page.hasMore, next: page.next };
  };
  switch (route.resource) {
    case "traits": {
      const page = await readTraits(pool, ws.id, id, q, limit);
      return answer(200, { traits: page.items, cursor: cursor(page) });
    }
    case "external_ids": {
      const page = await readExternalIds(pool, ws.id, id, q, limit);
      return answer(200, { data: page.items, cursor: cursor(page) });
    }
    case "events": {
      const page = await readEvents(pool, ws.id, id, q, limit);
      return answer(200, { data: page.items, cursor: cursor(page) });
    }
    case "metadata":
      return answer(200, { metadata: await readMetadata(pool, ws.id, id) });
    case "links": {
      const page = await readLinks(pool, ws.id, id, q, limit, route.collection);
      return answer(200, { data: page.items, cursor: cursor(page) });
    }
  }
}
