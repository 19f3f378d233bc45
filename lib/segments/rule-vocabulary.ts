// What the segment builder's pickers offer, read from the workspace's own data and bounded so it
// stays fast at millions of profiles and events:
// - event names: a loose index scan (one index probe per distinct name) over profile_event_days'
//   (workspace_id, event, day, …) index, never a scan of the events;
// - each event's property keys, with their observed type and example values, and the trait keys of
//   profiles: from a bounded sample of the most recent events / most recently seen profiles;
// - identifier types: from a sample of recent identifiers plus the types the identity rules name;
// - the workspace's segments and computed traits (small configuration tables, capped).
// Keys not in a sample can still be typed by hand in the builder.
import { getPool } from "@/lib/db/pool";
import { getIdentitySettings } from "@/lib/identity/get-identity-settings";
import { ACCOUNT_IDENTIFIER_TYPE, IDENTIFIER_LABELS } from "@/lib/identity/identity-settings";
import { visibleTrait } from "@/lib/profiles/mask-pii";
import { observeKeys, type ObservedKey } from "@/lib/segments/observe-values";

export const VOCABULARY_LIMITS = {
  eventNames: 500,
  eventSample: 3000,
  profileSample: 2000,
  identitySample: 5000,
  keysPerRecordKind: 200,
  configRows: 1000,
} as const;

/**
 * Distinct event names of a workspace ($1), at most $2 + 1 of them: a loose index scan, each step
 * one probe of the (workspace_id, event, …) index for the next name, so the cost grows with the
 * number of names, not of rows.
 */
export const EVENT_NAMES_SQL = `WITH RECURSIVE names(event, n) AS (
    (SELECT event, 1 FROM profile_event_days WHERE workspace_id = $1 ORDER BY event LIMIT 1)
    UNION ALL
    SELECT (SELECT d.event FROM profile_event_days d WHERE d.workspace_id = $1 AND d.event > names.event ORDER BY d.event LIMIT 1), n + 1
    FROM names WHERE names.event IS NOT NULL AND n <= $2)
  SELECT event FROM names WHERE event IS NOT NULL`;

export interface RuleVocabulary {
  events: { name: string; properties: ObservedKey[] }[];
  /** More event names exist than were listed. */
  eventsTruncated: boolean;
  traits: ObservedKey[];
  identifierTypes: { type: string; label: string; observed: boolean }[];
  segments: { id: string; name: string }[];
  computedTraits: { id: string; name: string; key: string }[];
}

export async function ruleVocabulary(options: { workspaceId: string; canSeePii?: boolean }): Promise<RuleVocabulary> {
  const pool = getPool();
  const ws = options.workspaceId;
  const L = VOCABULARY_LIMITS;
  // Example values are shown to the reader: contact details only as their role may see them.
  const show = (key: string, value: string) => String(visibleTrait(key, value, options.canSeePii ?? false));
  const [names, sample, profiles, identities, settings, segments, computedTraits] = await Promise.all([
    pool.query<{ event: string }>(EVENT_NAMES_SQL,
      [ws, L.eventNames],
    ),
    // The newest events by id (the primary key's order), whatever their type; only named ones count.
    pool.query<{ event: string; properties: unknown }>(
      `SELECT event, properties FROM (
         SELECT event, raw->'properties' AS properties FROM events WHERE workspace_id = $1 ORDER BY id DESC LIMIT $2) e
       WHERE event IS NOT NULL`,
      [ws, L.eventSample],
    ),
    pool.query<{ traits: unknown }>(
      `SELECT p.traits FROM (SELECT profile_id FROM profile_activity WHERE workspace_id = $1 AND kind = 'user' ORDER BY last_seen_at DESC LIMIT $2) a
       JOIN profiles p ON p.workspace_id = $1 AND p.id = a.profile_id`,
      [ws, L.profileSample],
    ),
    pool.query<{ type: string }>(`SELECT DISTINCT type FROM (SELECT type FROM identities WHERE workspace_id = $1 ORDER BY id DESC LIMIT $2) i`, [ws, L.identitySample]),
    getIdentitySettings(pool, ws),
    pool.query<{ id: string; name: string }>(`SELECT id::text, name FROM segments WHERE workspace_id = $1 ORDER BY lower(name), id LIMIT $2`, [ws, L.configRows]),
    pool.query<{ id: string; name: string; key: string }>(`SELECT id::text, name, key FROM computed_traits WHERE workspace_id = $1 ORDER BY lower(name), id LIMIT $2`, [ws, L.configRows]),
  ]);

  const byEvent = new Map<string, unknown[]>();
  for (const e of sample.rows) {
    const list = byEvent.get(e.event) ?? [];
    list.push(e.properties);
    byEvent.set(e.event, list);
  }
  // Names from the sample complete the index list (events the pipeline has not counted yet).
  const allNames = [...new Set([...names.rows.map((r) => r.event), ...byEvent.keys()])].sort((a, b) => a.localeCompare(b));
  const events = allNames.slice(0, L.eventNames).map((name) => ({ name, properties: observeKeys(byEvent.get(name) ?? [], { maxKeys: L.keysPerRecordKind, show }) }));

  const observed = new Set(identities.rows.map((r) => r.type));
  const configured = [...settings.priority, ...Object.values(settings.traitIdentifiers)].filter((t) => t !== ACCOUNT_IDENTIFIER_TYPE);
  const types = [...new Set([...configured, ...observed])];
  return {
    events,
    eventsTruncated: names.rows.length > L.eventNames || allNames.length > L.eventNames,
    traits: observeKeys(profiles.rows.map((r) => r.traits), { maxKeys: L.keysPerRecordKind, show }),
    identifierTypes: types
      .map((type) => ({ type, label: IDENTIFIER_LABELS[type] ?? type, observed: observed.has(type) }))
      .sort((a, b) => Number(b.observed) - Number(a.observed)),
    segments: segments.rows,
    computedTraits: computedTraits.rows,
  };
}
