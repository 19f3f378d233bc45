// What the in-memory evaluator needs to know about a few profiles (the ones a pipeline batch
// touched), loaded in a handful of indexed queries: traits, identifier types, current segments,
// computed-trait values, and — for the profiles whose outcome depends on them — events: as daily
// counts where the rules only count, as events with properties where they filter or add up
// properties or use a window that is not whole days.
import type pg from "pg";
import { usesDailyCounts } from "@/lib/segments/compile-segment";
import { windowStart, type ProfileFacts } from "@/lib/segments/evaluate-segment";
import type { EventWindow, RuleCondition, RuleNode } from "@/lib/segments/segment-rule";
import { asTime } from "@/lib/segments/segment-values";

type EventCondition = Extract<RuleCondition, { kind: "event" }>;

export function eventConditions(node: RuleNode): EventCondition[] {
  if (node.kind === "group") return node.children.flatMap(eventConditions);
  return node.kind === "event" ? [node] : [];
}

/** The earliest time a window reaches back to (null: ever). */
function earliest(w: EventWindow, now: Date): number | null {
  if (w.type === "ever") return null;
  return w.type === "last_days" ? windowStart(w.days, now) : asTime(w.from);
}

/** Which events to load: names the rules only count per day, and names they need events of (with the earliest time needed). */
export function eventNeeds(rules: RuleNode[], now: Date) {
  const raw = new Map<string, number | null>();
  const daily = new Map<string, number | null>();
  const widen = (m: Map<string, number | null>, name: string, from: number | null) => {
    const current = m.has(name) ? m.get(name)! : Infinity;
    m.set(name, from === null || current === null ? null : Math.min(current, from));
  };
  for (const c of rules.flatMap(eventConditions)) widen(usesDailyCounts(c) ? daily : raw, c.event, earliest(c.window, now));
  // A name some rule needs events of is loaded as events only: they answer the counting rules too.
  for (const name of raw.keys()) {
    if (daily.has(name)) widen(raw, name, daily.get(name)!);
    daily.delete(name);
  }
  return { raw, daily };
}

const since = (m: Map<string, number | null>) => {
  const values = [...m.values()];
  return values.includes(null) || values.length === 0 ? null : new Date(Math.min(...(values as number[])));
};

/** Whether any of the rules has a condition of this kind. */
function reads(rules: RuleNode[], kind: RuleCondition["kind"]): boolean {
  const has = (n: RuleNode): boolean => (n.kind === "group" ? n.children.some(has) : n.kind === kind);
  return rules.some(has);
}

/** What the evaluator knows of these profiles without their events: traits, current segments, and the identifier types and computed-trait values where the rules read them. */
export async function loadProfileFacts(client: pg.PoolClient, ws: string, profileIds: string[], rules: RuleNode[]): Promise<Map<string, ProfileFacts>> {
  const facts = new Map<string, ProfileFacts>();
  if (profileIds.length === 0) return facts;
  const none = { rows: [] };
  // One client runs one query at a time: these go one after the other.
  const profiles = await client.query<{ id: string; traits: Record<string, unknown> }>(
    `SELECT id, traits FROM profiles WHERE workspace_id = $1 AND id = ANY($2::uuid[]) AND merged_into_id IS NULL AND kind = 'user'`,
    [ws, profileIds],
  );
  const identifiers = !reads(rules, "identifier")
    ? none
    : await client.query<{ profile_id: string; type: string }>(`SELECT DISTINCT profile_id, type FROM identities WHERE workspace_id = $1 AND profile_id = ANY($2::uuid[])`, [ws, profileIds]);
  const memberships = await client.query<{ profile_id: string; segment_id: string }>(`SELECT profile_id, segment_id FROM segment_memberships WHERE workspace_id = $1 AND profile_id = ANY($2::uuid[])`, [ws, profileIds]);
  const computed = !reads(rules, "computed_trait")
    ? none
    : await client.query<{ profile_id: string; computed_trait_id: string; value: unknown }>(
        `SELECT profile_id, computed_trait_id, value FROM computed_trait_values WHERE workspace_id = $1 AND profile_id = ANY($2::uuid[])`,
        [ws, profileIds],
      );
  for (const p of profiles.rows) facts.set(p.id, { traits: p.traits, identifierTypes: new Set(), events: [], computedTraits: {}, segments: new Set(), consents: {} });
  for (const r of identifiers.rows) facts.get(r.profile_id)?.identifierTypes.add(r.type);
  for (const r of memberships.rows) facts.get(r.profile_id)?.segments.add(r.segment_id);
  for (const r of computed.rows) {
    const f = facts.get(r.profile_id);
    if (f) f.computedTraits[r.computed_trait_id] = r.value;
  }
  return facts;
}

/** Adds to the facts of these profiles the events the rules read: daily counts where the rules only count, events with properties where they filter or add up properties or use a window that is not whole days. */
export async function addProfileEvents(client: pg.PoolClient, ws: string, facts: Map<string, ProfileFacts>, profileIds: string[], rules: RuleNode[], now: Date) {
  if (profileIds.length === 0) return;
  const { raw, daily } = eventNeeds(rules, now);
  const dailySince = since(daily);
  const rawSince = since(raw);
  const days =
    daily.size === 0
      ? null
      : await client.query<{ profile_id: string; event: string; day: string; count: number }>(
          `SELECT profile_id, event, day::text, count FROM profile_event_days
           WHERE workspace_id = $1 AND profile_id = ANY($2::uuid[]) AND event = ANY($3::text[]) AND ($4::date IS NULL OR day >= $4::date)`,
          [ws, profileIds, [...daily.keys()], dailySince?.toISOString().slice(0, 10) ?? null],
        );
  const events =
    raw.size === 0
      ? null
      : await client.query<{ profile_id: string; event: string; timestamp: Date; properties: Record<string, unknown> | null }>(
          `SELECT i.profile_id, e.event, e.timestamp, e.raw -> 'properties' AS properties
           FROM identities i
           JOIN event_identities a ON a.workspace_id = i.workspace_id AND a.identity_id = i.id AND ($4::timestamptz IS NULL OR a.timestamp >= $4::timestamptz)
           -- A primary-key probe per anchor, whatever the statistics say (see compile-segment.ts).
           CROSS JOIN LATERAL (SELECT e.event, e.timestamp, e.raw FROM events e WHERE e.workspace_id = a.workspace_id AND e.id = a.event_id AND e.received_at = a.received_at LIMIT 1) e
           WHERE i.workspace_id = $1 AND i.profile_id = ANY($2::uuid[]) AND e.event = ANY($3::text[])`,
          [ws, profileIds, [...raw.keys()], rawSince?.toISOString() ?? null],
        );
  for (const r of days?.rows ?? []) facts.get(r.profile_id)?.events.push({ event: r.event, timestamp: new Date(`${r.day}T00:00:00Z`), properties: {}, count: r.count });
  for (const r of events?.rows ?? []) facts.get(r.profile_id)?.events.push({ event: r.event, timestamp: r.timestamp, properties: r.properties ?? {} });
}
