// The tracking API (../shared/contracts/tracking-api.md) as a plain function from request facts
// to a response, so the HTTP server can serve it without framework overhead on the hot path.
import type pg from "pg";
import type { EventWriter } from "@/lib/ingest/event-writer";
import { parseTrackingRequest } from "@/lib/ingest/parse-tracking-request";
import { recordRejections } from "@/lib/ingest/record-rejections";
import { resolveWriteKey } from "@/lib/ingest/resolve-write-key";
import { matchTrackingRoute } from "@/lib/ingest/tracking-routes";
import type { WriteKeyRateLimiter } from "@/lib/ingest/write-key-rate-limit";

export interface TrackingRequest {
  method: string;
  pathname: string;
  headers: { authorization?: string; origin?: string; host?: string; forwardedProto?: string };
  body: Buffer;
  ip: string;
}

export interface TrackingResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface TrackingDeps {
  pool: pg.Pool;
  writer: EventWriter;
  limiter: WriteKeyRateLimiter;
  now?: () => Date;
}

const ALLOW_HEADERS = "Content-Type, Authorization, X-Retry-Count";

function json(status: number, body: unknown, headers: Record<string, string> = {}): TrackingResponse {
  return { status, headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(body) };
}

function error(status: number, code: string, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return json(status, { success: false, error: { code, message, ...extra } }, headers);
}

/** Browsers may post from any origin unless the source lists its allowed origins. */
function corsHeaders(origin: string | undefined): Record<string, string> {
  return origin ? { "Access-Control-Allow-Origin": origin, Vary: "Origin" } : { "Access-Control-Allow-Origin": "*" };
}

export async function handleTrackingRequest(req: TrackingRequest, deps: TrackingDeps): Promise<TrackingResponse> {
  const route = matchTrackingRoute(req.pathname);
  const cors = corsHeaders(req.headers.origin);
  const withCors = (r: TrackingResponse) => ({ ...r, headers: { ...cors, ...r.headers } });
  if (!route) return withCors(error(404, "not_found", `No tracking route ${req.pathname}.`));

  if (req.method === "OPTIONS") {
    // Preflights carry no key, so they are answered openly; the POST itself enforces the
    // source's allowed origins.
    return { status: 204, headers: { ...cors, "Access-Control-Allow-Methods": "GET, POST, OPTIONS", "Access-Control-Allow-Headers": ALLOW_HEADERS, "Access-Control-Max-Age": "86400" }, body: "" };
  }

  try {
    if (route.kind === "settings") {
      if (req.method !== "GET") return withCors(error(405, "method_not_allowed", "Use GET."));
      const source = await resolveWriteKey(deps.pool, route.writeKey);
      if (!source || !source.enabled) return withCors(error(404, "unknown_write_key", "No enabled source has this write key."));
      const protocol = req.headers.forwardedProto === "https" ? "https" : "http";
      return withCors(json(200, {
        integrations: { "Segment.io": { apiKey: route.writeKey, apiHost: `${req.headers.host}/v1`, protocol } },
        plan: { track: { __default: { enabled: true } }, identify: { __default: { enabled: true } }, group: { __default: { enabled: true } } },
        metrics: { sampleRate: 0 },
      }, { "Cache-Control": "public, max-age=60" }));
    }
    if (req.method !== "POST") return withCors(error(405, "method_not_allowed", "Use POST with a JSON body."));
    // analytics.js usage counters: accepted and dropped, so nothing leaves for a third party.
    if (route.kind === "metrics") return withCors(json(200, { success: true }));

    const receivedAt = (deps.now ?? (() => new Date()))();
    const parsed = parseTrackingRequest({ routeType: route.kind === "message" ? route.type : null, body: req.body, authorization: req.headers.authorization, ip: req.ip, receivedAt });
    if (!parsed.ok) return withCors(error(parsed.status, parsed.status === 413 ? "payload_too_large" : "invalid_request", `${parsed.field} ${parsed.message}`, { field: parsed.field }));
    if (!parsed.writeKey) return withCors(error(401, "missing_write_key", "Send the write key as Basic auth (the key as user name) or as writeKey in the body."));

    const source = await resolveWriteKey(deps.pool, parsed.writeKey);
    if (!source) return withCors(error(401, "invalid_write_key", "Unknown or expired write key."));
    if (!source.enabled) return withCors(error(401, "source_disabled", "This source is disabled."));
    if (req.headers.origin && source.allowedOrigins.length > 0 && !source.allowedOrigins.includes(req.headers.origin)) {
      return error(403, "origin_not_allowed", `Origin ${req.headers.origin} may not send to this source.`);
    }
    const total = parsed.accepted.length + parsed.rejected.length;
    const wait = deps.limiter.take(parsed.writeKey, total);
    if (wait > 0) return withCors(error(429, "rate_limited", `Too many messages for this write key; retry in ${wait} s.`, {}, { "Retry-After": String(wait) }));

    // One after the other: both update the same per-minute counters.
    await deps.writer.append({ workspaceId: source.workspaceId, sourceId: source.sourceId, messages: parsed.accepted });
    await recordRejections(deps.pool, { workspaceId: source.workspaceId, sourceId: source.sourceId, rejected: parsed.rejected, receivedAt });
    if (parsed.rejected.length === 0) return withCors(json(200, { success: true }));
    const first = parsed.rejected[0];
    return withCors(error(400, "invalid_messages", `${first.field} ${first.message}`, {
      field: first.field,
      accepted: parsed.accepted.length,
      rejected: parsed.rejected.map(({ index, field, message }) => ({ index, field, message })),
    }));
  } catch (err) {
    // Only storage failures get here: the SDKs retry a 503, so nothing acknowledged is lost.
    console.error(`[ingest] storage unavailable: ${(err as Error).message}`);
    return withCors(error(503, "unavailable", "Events could not be stored right now; retry later.", {}, { "Retry-After": "5" }));
  }
}
