// The Profile API's reads, one per resource. Lists page with an opaque cursor (`next`).
import type pg from "pg";
import { readComputedTraits } from "@/lib/computed-traits/read-computed-traits";
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

/** One trait of the answer: the profile's own (class 0), a computed trait (1) or a segment membership (2). */
interface TraitEntry {
  cls: 0 | 1 | 2;
  key: string;
  value: unknown;
  /** Lineage for verbose answers (computed traits and audiences: when the value / membership began). */
  updatedAt: string | null;
}

/**
 * Traits in Segment's shape. Without `class`: the profile's traits, then its computed traits, then
 * its audiences (segment memberships as `{ [segment key]: true }`), each sorted by key; a key already
 * taken by an earlier kind is not repeated. `class=computed_trait` / `class=audience` give only those.
 * The cursor is where the previous page ended: [kind, key].
 */
export async function readTraits(pool: pg.Pool, ws: string, profileId: string, q: Query, limit: number): Promise<Page<Record<string, unknown>>> {
  const cls = q.get("class");
  const include = list(q.get("include"));
  const wanted = (key: string) => !include || include.includes(key);
  const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  const [profile, computed, audiences] = await Promise.all([
    cls === "audience" || cls === "computed_trait"
      ? null
      : pool.query<{ traits: Record<string, unknown> }>(`SELECT traits FROM profiles WHERE workspace_id = $1 AND id = $2`, [ws, profileId]).then((r) => r.rows[0]?.traits ?? {}),
    cls === "audience" ? [] : readComputedTraits({ workspaceId: ws, profileId, pool }),
    cls === "computed_trait"
      ? []
      : pool
          .query<{ key: string; entered_at: Date }>(
            `SELECT s.key, m.entered_at FROM segment_memberships m JOIN segments s ON s.workspace_id = m.workspace_id AND s.id = m.segment_id
             WHERE m.workspace_id = $1 AND m.profile_id = $2`,
            [ws, profileId],
          )
          .then((r) => r.rows),
  ]);
  const entries: TraitEntry[] = [];
  const taken = new Set<string>();
  const push = (list: TraitEntry[]) => {
    for (const e of list.sort(byKey)) {
      if (taken.has(e.key) || !wanted(e.key)) continue;
      taken.add(e.key);
      entries.push(e);
    }
  };
  if (profile) push(Object.keys(profile).map((key) => ({ cls: 0, key, value: profile[key], updatedAt: null })));
  push(computed.map((c) => ({ cls: 1, key: c.key, value: c.value, updatedAt: c.updatedAt.toISOString() })));
  push(audiences.map((a) => ({ cls: 2, key: a.key, value: true, updatedAt: a.entered_at.toISOString() })));

  // A plain key is a cursor from before computed traits and audiences were listed: a trait's.
  const cursor = decodeCursor<unknown>(q.get("next"));
  const after: [number, string] | null =
    typeof cursor === "string" ? [0, cursor] : Array.isArray(cursor) && typeof cursor[0] === "number" && typeof cursor[1] === "string" ? [cursor[0], cursor[1]] : null;
  const rest = after === null ? entries : entries.filter((e) => e.cls > after[0] || (e.cls === after[0] && e.key > after[1]));
  const page = rest.slice(0, limit);
  const items: Record<string, unknown> = {};
  if (q.get("verbose") === "true" && page.length > 0) {
    const own = page.filter((e) => e.cls === 0).map((e) => e.key);
    // Lineage of each surviving value: its candidate (same value) in the profile's candidates.
    const { rows: [c] } = own.length === 0
      ? { rows: [] as { candidates: Record<string, TraitCandidate[]> }[] }
      : await pool.query<{ candidates: Record<string, TraitCandidate[]> }>(
          `SELECT jsonb_object_agg(kv.key, kv.value) AS candidates FROM profile_trait_candidates c CROSS JOIN LATERAL jsonb_each(c.candidates) kv
           WHERE c.workspace_id = $1 AND c.profile_id = $2 AND kv.key = ANY($3::text[])`,
          [ws, profileId, own],
        );
    for (const e of page) {
      if (e.cls !== 0) {
        items[e.key] = { value: e.value, source_id: null, updated_at: e.updatedAt };
        continue;
      }
      const lineage = candidateOf(c?.candidates?.[e.key], e.value);
      items[e.key] = { value: e.value, source_id: lineage?.s ?? null, updated_at: lineage?.l ?? null };
    }
  } else {
    for (const e of page) items[e.key] = e.value;
  }
  const hasMore = rest.length > limit;
  const last = page.at(-1);
  return { items, hasMore, next: hasMore && last ? encodeCursor([last.cls, last.key]) : "" };
}

type IdentityRow = { type: string; value: string; first_source_id: string | null; first_seen_at: Date };

/** An identity in Segment's external-id shape. */
const externalId = (r: IdentityRow, collection: "users" | "accounts") => ({ source_id: r.first_source_id, collection, id: r.value, type: r.type, created_at: r.first_seen_at.toISOString(), encoding: "none" });

export async function readExternalIds(pool: pg.Pool, ws: string, profileId: string, q: Query, limit: number, collection: "users" | "accounts" = "users") {
  const after = decodeCursor<string>(q.get("next"));
  const { rows } = await pool.query<IdentityRow & { id: string }>(
    `SELECT id::text, type, value, first_source_id, first_seen_at FROM identities
     WHERE workspace_id = $1 AND profile_id = $2 AND ($3::text[] IS NULL OR type = ANY($3)) AND ($4::bigint IS NULL OR id > $4) ORDER BY id LIMIT $5`,
    [ws, profileId, list(q.get("include")), after, limit + 1],
  );
  const page = rows.slice(0, limit);
  return {
    items: page.map((r) => externalId(r, collection)),
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
  // The first 100 external ids of every linked profile of the page, in one statement.
  const { rows: ids } = await pool.query<IdentityRow & { profile_id: string }>(
    `SELECT o.id AS profile_id, i.type, i.value, i.first_source_id, i.first_seen_at FROM unnest($2::uuid[]) WITH ORDINALITY AS o(id, n)
     CROSS JOIN LATERAL (SELECT id, type, value, first_source_id, first_seen_at FROM identities WHERE workspace_id = $1 AND profile_id = o.id ORDER BY id LIMIT 100) i
     ORDER BY o.n, i.id`,
    [ws, page.map((r) => r.other)],
  );
  const byProfile = new Map<string, ReturnType<typeof externalId>[]>(page.map((r) => [r.other, []]));
  for (const r of ids) byProfile.get(r.profile_id)!.push(externalId(r, toCollection as "users" | "accounts"));
  const items = page.map((r) => ({ to_collection: toCollection, external_ids: byProfile.get(r.other)! }));
  return { items, hasMore: rows.length > limit, next: rows.length > limit ? encodeCursor(page.at(-1)!.other) : "" };
}
