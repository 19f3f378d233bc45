// The Profile API's reads, one per resource. Lists page with an opaque cursor (`next`).
import type pg from "pg";
import { canonicalJson, type TraitCandidate } from "@/lib/profiles/trait-candidates";

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
      const value = canonicalJson(p.traits[k]);
      const lineage = c?.candidates?.[k]?.find((t) => canonicalJson(t.v) === value);
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

export async function readEvents(pool: pg.Pool, ws: string, profileId: string, q: Query, limit: number) {
  const after = decodeCursor<[string, string]>(q.get("next"));
  const { rows } = await pool.query(
    `SELECT e.type, e.event, e.message_id, e.source_id, e.timestamp, e.raw->'properties' AS properties, e.raw->'context' AS context,
            e.id::text AS event_id, i.type AS id_type, i.value AS id_value, i.first_source_id, i.first_seen_at
     FROM identities i
     JOIN event_identities a ON a.workspace_id = i.workspace_id AND a.identity_id = i.id
     JOIN events e ON e.workspace_id = a.workspace_id AND e.id = a.event_id AND e.received_at = a.received_at
     WHERE i.workspace_id = $1 AND i.profile_id = $2
       AND ($3::text[] IS NULL OR e.event = ANY($3)) AND ($4::text[] IS NULL OR e.event IS NULL OR NOT e.event = ANY($4))
       AND ($5::timestamptz IS NULL OR a.timestamp >= $5) AND ($6::timestamptz IS NULL OR a.timestamp <= $6)
       AND ($7::timestamptz IS NULL OR (a.timestamp, a.event_id) < ($7, $8::bigint))
     ORDER BY a.timestamp DESC, a.event_id DESC LIMIT $9`,
    [ws, profileId, list(q.get("include")), list(q.get("exclude")), q.get("start"), q.get("end"), after?.[0] ?? null, after?.[1] ?? null, limit + 1],
  );
  const page = rows.slice(0, limit);
  return {
    items: page.map((r) => ({
      type: r.type,
      event: r.event,
      message_id: r.message_id,
      source_id: r.source_id,
      timestamp: (r.timestamp as Date).toISOString(),
      properties: r.properties ?? {},
      context: r.context ?? {},
      external_ids: [{ id: r.id_value, type: r.id_type, source_id: r.first_source_id, collection: "users", created_at: (r.first_seen_at as Date).toISOString(), encoding: "none" }],
    })),
    hasMore: rows.length > limit,
    next: rows.length > limit ? encodeCursor([(page.at(-1)!.timestamp as Date).toISOString(), page.at(-1)!.event_id]) : "",
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
