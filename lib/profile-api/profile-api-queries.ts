// The Profile API's reads, one per resource. Lists page with an opaque cursor (`next`).
import type pg from "pg";
import { readTimelineRows } from "@/lib/profiles/profile-timeline";
import { candidateOf, type TraitCandidate } from "@/lib/profiles/trait-candidates";

export type Query = URLSearchParams;
export interface Page<T> { items: T; hasMore: boolean; next: string }

export const encodeCursor = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
export function decodeCursor<T>(next: string | null): T | null {
  if (!next) return null;
  try {
    return JSON.parse(Buffer.from(next, "base64url").toString("utf8")) as T;
  } catch {
    return null;
  }
}
const list = (v: string | null) => (v ? v.split(",").map((s) => s.trim()).filter(Boolean) : null);

export async function readTraits(pool: pg.Pool, ws: string, profileId: string, q: Query, limit: number): Promise<Page<Record<string, unknown>>> {
  const cls = q.get("class");
  if (cls === "audience" || cls === "computed_trait") return { items: {}, hasMore: false, next: "" }; // none computed yet
  const { rows: [p] } = await pool.query<{ traits: Record<string, unknown> }>(`SELECT traits FROM profiles WHERE workspace_id = $1 AND id = $2`, [ws, profileId]);
  const include = list(q.get("include"));
  const after = decodeCursor<string>(q.get("next"));
  const keys = Object.keys(p.traits).filter((k) => (!include || include.includes(k)) && (after === null || k > after)).sort();
  const page = keys.slice(0, limit);
  const items: Record<string, unknown> = {};
  if (q.get("verbose") === "true" && page.length > 0) {
    // Lineage of each surviving value: its candidate (same value) in the profile's candidates.
    const { rows: [c] } = await pool.query<{ candidates: Record<string, TraitCandidate[]> }>(
      `SELECT jsonb_object_agg(kv.key, kv.value) AS candidates FROM profile_trait_candidates c CROSS JOIN LATERAL jsonb_each(c.candidates) kv
       WHERE c.workspace_id = $1 AND c.profile_id = $2 AND kv.key = ANY($3::text[])`,
      [ws, profileId, page],
    );
    for (const k of page) {
      const lineage = candidateOf(c?.candidates?.[k], p.traits[k]);
      items[k] = { value: p.traits[k], source_id: lineage?.s ?? null, updated_at: lineage?.l ?? null };
    }
  } else {
    for (const k of page) items[k] = p.traits[k];
  }
  const hasMore = keys.length > limit;
  return { items, hasMore, next: hasMore ? encodeCursor(page.at(-1)) : "" };
}

export async function readExternalIds(pool: pg.Pool, ws: string, profileId: string, q: Query, limit: number, collection: "users" | "accounts" = "users") {
  const after = decodeCursor<string>(q.get("next"));
  const { rows } = await pool.query<{ id: string; type: string; value: string; first_source_id: string | null; first_seen_at: Date }>(
    `SELECT id::text, type, value, first_source_id, first_seen_at FROM identities
     WHERE workspace_id = $1 AND profile_id = $2 AND ($3::text[] IS NULL OR type = ANY($3)) AND ($4::bigint IS NULL OR id > $4) ORDER BY id LIMIT $5`,
    [ws, profileId, list(q.get("include")), after, limit + 1],
  );
  const page = rows.slice(0, limit);
  return {
    items: page.map((r) => ({ source_id: r.first_source_id, collection, id: r.value, type: r.type, created_at: r.first_seen_at.toISOString(), encoding: "none" })),
    hasMore: rows.length > limit,
    next: rows.length > limit ? encodeCursor(page.at(-1)!.id) : "",
  };
}

/** The events cursor: [timestamp, event id] where the previous page ended; anything else starts over. */
function eventsCursor(next: string | null): [string, string] | null {
  const c = decodeCursor<unknown>(next);
  return Array.isArray(c) && typeof c[0] === "string" && !Number.isNaN(Date.parse(c[0])) && /^\d{1,19}$/.test(String(c[1])) ? [c[0], String(c[1])] : null;
}

/** A page of the profile's timeline (lib/profiles/profile-timeline.ts), in Segment's shape. */
export async function readEvents(pool: pg.Pool, ws: string, profileId: string, q: Query, limit: number) {
  const rows = await readTimelineRows(pool, { workspaceId: ws, profileId, kind: "user" }, {
    events: list(q.get("include")) ?? undefined,
    excludeEvents: list(q.get("exclude")) ?? undefined,
    start: q.get("start"),
    end: q.get("end"),
    after: eventsCursor(q.get("next")),
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  return {
    items: page.map((r) => ({
      type: r.type,
      event: r.event,
      message_id: r.message_id,
      source_id: r.source_id,
      timestamp: r.timestamp.toISOString(),
      properties: r.raw.properties ?? {},
      context: r.raw.context ?? {},
      external_ids: [{ id: r.via_value, type: r.via_type, source_id: r.via_first_source_id, collection: "users", created_at: r.via_first_seen_at.toISOString(), encoding: "none" }],
    })),
    hasMore: rows.length > limit,
    next: rows.length > limit ? encodeCursor([page.at(-1)!.timestamp.toISOString(), page.at(-1)!.id]) : "",
  };
}

export async function readMetadata(pool: pg.Pool, ws: string, profileId: string) {
  const { rows: [p] } = await pool.query(
    `SELECT created_at, updated_at, first_seen_at, last_seen_at, last_source_id, last_message_id FROM profiles WHERE workspace_id = $1 AND id = $2`,
    [ws, profileId],
  );
  return {
    created_at: p.created_at.toISOString(),
    updated_at: p.updated_at.toISOString(),
    first_message_at: p.first_seen_at.toISOString(),
    last_message_at: p.last_seen_at.toISOString(),
    last_source_id: p.last_source_id,
    last_message_id: p.last_message_id,
  };
}

/** Users → their accounts; accounts → their users. Each link lists the other side's identifiers. */
export async function readLinks(pool: pg.Pool, ws: string, profileId: string, q: Query, limit: number, collection: "users" | "accounts") {
  const after = decodeCursor<string>(q.get("next"));
  const [mine, other, toCollection] = collection === "users" ? ["user_profile_id", "account_profile_id", "accounts"] : ["account_profile_id", "user_profile_id", "users"];
  const { rows } = await pool.query<{ other: string }>(
    `SELECT ${other} AS other FROM profile_links WHERE workspace_id = $1 AND ${mine} = $2 AND ($3::uuid IS NULL OR ${other} > $3) ORDER BY ${other} LIMIT $4`,
    [ws, profileId, after, limit + 1],
  );
  const page = rows.slice(0, limit);
  const items = [];
  for (const r of page) {
    const ids = await readExternalIds(pool, ws, r.other, new URLSearchParams(), 100, toCollection as "users" | "accounts");
    items.push({ to_collection: toCollection, external_ids: ids.items });
  }
  return { items, hasMore: rows.length > limit, next: rows.length > limit ? encodeCursor(page.at(-1)!.other) : "" };
}
