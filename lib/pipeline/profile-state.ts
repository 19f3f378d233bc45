// A batch's profiles, in memory: the pipeline loads the state of the existing profiles the batch
// touches (counters, sources, trait candidates), folds merges, events and trait observations into
// it, and writes each profile back with one statement per kind of row — new profiles in one
// INSERT, changed ones in one UPDATE, candidates in one upsert — instead of one round of SQL per
// kind of change. Safe because a workspace's profiles are only written under its pipeline lock
// (the pipeline and unmerge take it).
import type pg from "pg";
import { isoTimes, jsonLines } from "@/lib/db/bulk-params";
import { withIndexJoins } from "@/lib/db/index-joins";
import type { IdentitySettings } from "@/lib/identity/identity-settings";
import type { TraitObservation } from "@/lib/pipeline/collect-traits";
import { removeProfileActivity, writeProfileActivity } from "@/lib/profiles/profile-activity";
import { addCandidate, capCandidates, mergeCandidates, survivingTraits, type TraitCandidates } from "@/lib/profiles/trait-candidates";

export interface ProfileState {
  id: string;
  kind: "user" | "account";
  /** Created by this batch (INSERT) rather than loaded (UPDATE). */
  isNew: boolean;
  eventCount: number;
  firstSeenAt: Date;
  lastSeenAt: Date;
  lastSourceId: string | null;
  lastMessageId: string | null;
  sourceIds: Set<string>;
  mergeCount: number;
  /**
   * The trait-candidate document, or null while not loaded: only profiles that observe traits or
   * merge in a batch need theirs (loadCandidates) — most events only move counters.
   */
  candidates: TraitCandidates | null;
  /** Set when counters or candidates changed and the row must be written. */
  dirty: boolean;
  /** Set when the candidate document changed (most events only move counters: no rewrite then). */
  candidatesChanged: boolean;
}

export function newProfileState(id: string, kind: "user" | "account", at: Date): ProfileState {
  return { id, kind, isNew: true, eventCount: 0, firstSeenAt: at, lastSeenAt: at, lastSourceId: null, lastMessageId: null, sourceIds: new Set(), mergeCount: 0, candidates: {}, dirty: true, candidatesChanged: true };
}

/** Index probes per id (LATERAL … LIMIT 1), so stale statistics cannot turn this into a scan. */
export async function loadProfileStates(client: pg.PoolClient, ws: string, ids: string[]): Promise<Map<string, ProfileState>> {
  const states = new Map<string, ProfileState>();
  if (ids.length === 0) return states;
  const { rows } = await client.query(
    `SELECT p.id, p.kind::text AS kind, p.event_count, p.first_seen_at, p.last_seen_at, p.last_source_id, p.last_message_id, p.source_ids::text[] AS source_ids, p.merge_count
     FROM unnest($2::uuid[]) AS x(id)
     CROSS JOIN LATERAL (SELECT * FROM profiles p WHERE p.workspace_id = $1 AND p.id = x.id LIMIT 1) p`,
    [ws, ids],
  );
  for (const r of rows) {
    states.set(r.id, {
      id: r.id,
      kind: r.kind,
      isNew: false,
      eventCount: r.event_count,
      firstSeenAt: r.first_seen_at,
      lastSeenAt: r.last_seen_at,
      lastSourceId: r.last_source_id,
      lastMessageId: r.last_message_id,
      sourceIds: new Set(r.source_ids),
      mergeCount: r.merge_count,
      candidates: null,
      dirty: false,
      candidatesChanged: false,
    });
  }
  return states;
}

/** Loads the candidate documents of these profiles where not loaded yet (a profile without one gets an empty one). */
export async function loadCandidates(client: pg.PoolClient, ws: string, states: ProfileState[]) {
  const missing = [...new Map(states.filter((p) => p.candidates === null).map((p) => [p.id, p])).values()];
  if (missing.length === 0) return;
  const { rows } = await client.query<{ profile_id: string; candidates: TraitCandidates }>(
    `SELECT c.profile_id, c.candidates FROM unnest($2::uuid[]) AS x(id)
     CROSS JOIN LATERAL (SELECT profile_id, candidates FROM profile_trait_candidates c WHERE c.workspace_id = $1 AND c.profile_id = x.id LIMIT 1) c`,
    [ws, missing.map((p) => p.id)],
  );
  const docs = new Map(rows.map((r) => [r.profile_id, r.candidates]));
  for (const p of missing) p.candidates = docs.get(p.id) ?? {};
}

function loadedDoc(p: ProfileState): TraitCandidates {
  if (p.candidates === null) throw new Error(`The trait candidates of profile ${p.id} were not loaded for this batch.`);
  return p.candidates;
}

/** An event landed on the profile. */
export function recordEvent(p: ProfileState, e: { timestamp: Date; sourceId: string; messageId: string }) {
  p.eventCount += 1;
  if (e.timestamp < p.firstSeenAt) p.firstSeenAt = e.timestamp;
  if (e.timestamp >= p.lastSeenAt || p.lastSourceId === null) {
    p.lastSeenAt = e.timestamp;
    p.lastSourceId = e.sourceId;
    p.lastMessageId = e.messageId;
  }
  p.sourceIds.add(e.sourceId);
  p.dirty = true;
}

export function recordTrait(p: ProfileState, t: TraitObservation) {
  observe(loadedDoc(p), t);
  p.dirty = true;
  p.candidatesChanged = true;
}

function observe(doc: TraitCandidates, t: TraitObservation) {
  const at = t.at.toISOString();
  addCandidate(doc, t.key, { v: t.value, l: at, s: t.sourceId, m: t.messageId });
}

/** A merged profile's counters, sources and trait candidates fold into its survivor. */
export function foldProfile(into: ProfileState, from: ProfileState) {
  into.eventCount += from.eventCount;
  if (from.firstSeenAt < into.firstSeenAt) into.firstSeenAt = from.firstSeenAt;
  if (from.lastSeenAt > into.lastSeenAt && from.lastSourceId !== null) {
    into.lastSeenAt = from.lastSeenAt;
    into.lastSourceId = from.lastSourceId;
    into.lastMessageId = from.lastMessageId;
  }
  for (const s of from.sourceIds) into.sourceIds.add(s);
  mergeCandidates(loadedDoc(into), loadedDoc(from));
  into.dirty = true;
  into.candidatesChanged = true;
}

/**
 * Writes the batch's profiles: `live` are profiles that survive the batch (new or changed),
 * `mergedAway` are those merged into another (new ones are inserted already pointing at it).
 */
export async function writeProfileStates(client: pg.PoolClient, ws: string, settings: IdentitySettings, live: ProfileState[], mergedAway: { state: ProfileState; root: string }[]) {
  const rows = live.filter((p) => p.dirty).map((p) => {
    // Without its document loaded, a profile's traits did not change in this batch: they stay.
    if (p.candidates === null) return { p, mergedInto: null as string | null, traits: {}, displayName: null, searchName: null, searchNameLastFirst: null, traitsChanged: false };
    capCandidates(p.candidates, settings);
    return { p, mergedInto: null as string | null, ...survivingTraits(p.candidates, settings), traitsChanged: true };
  });
  const inserted = [...rows.filter((r) => r.p.isNew), ...mergedAway.filter((m) => m.state.isNew).map((m) => ({ p: m.state, mergedInto: m.root, traits: {}, displayName: null, searchName: null, searchNameLastFirst: null }))];
  const columns = (list: typeof inserted) => [
    list.map((r) => r.p.id),
    list.map((r) => r.p.kind),
    list.map((r) => r.mergedInto),
    list.map((r) => r.p.eventCount),
    isoTimes(list.map((r) => r.p.firstSeenAt)),
    isoTimes(list.map((r) => r.p.lastSeenAt)),
    list.map((r) => r.p.lastSourceId),
    list.map((r) => r.p.lastMessageId),
    list.map((r) => [...r.p.sourceIds].sort().join(",")),
    list.map((r) => r.p.mergeCount),
    jsonLines(list.map((r) => r.traits)),
    list.map((r) => r.displayName),
    list.map((r) => r.searchName),
    list.map((r) => r.searchNameLastFirst),
  ];
  const unnest = `unnest($2::uuid[], $3::text[], $4::uuid[], $5::int[], $6::timestamptz[], $7::timestamptz[], $8::uuid[], $9::text[], $10::text[], $11::int[], string_to_array($12, E'\\n'), $13::text[], $14::text[], $15::text[])
                  AS x(id, kind, merged_into, events, first, last, last_source, last_message, sources, merges, traits, display_name, search_name, search_name_last_first)`;
  if (inserted.length > 0) {
    await client.query(
      `INSERT INTO profiles (workspace_id, id, kind, merged_into_id, event_count, first_seen_at, last_seen_at, last_source_id, last_message_id, source_ids, merge_count, traits, display_name, search_name, search_name_last_first)
       SELECT $1, x.id, x.kind::"ProfileKind", x.merged_into, x.events, x.first, x.last, x.last_source, x.last_message, string_to_array(nullif(x.sources, ''), ',')::uuid[], x.merges, x.traits::jsonb, x.display_name, x.search_name, x.search_name_last_first
       FROM ${unnest}`,
      [ws, ...columns(inserted)],
    );
  }
  const counters = `event_count = x.events, first_seen_at = x.first, last_seen_at = x.last, last_source_id = x.last_source, last_message_id = x.last_message,
         source_ids = coalesce(string_to_array(nullif(x.sources, ''), ',')::uuid[], '{}'), merge_count = x.merges, updated_at = now()`;
  const traits = `traits = x.traits::jsonb, display_name = x.display_name, search_name = x.search_name, search_name_last_first = x.search_name_last_first`;
  for (const changed of [true, false]) {
    const updated = rows.filter((r) => !r.p.isNew && r.traitsChanged === changed);
    if (updated.length === 0) continue;
    await withIndexJoins(client, () => client.query(
      `UPDATE profiles p SET ${counters}${changed ? `, ${traits}` : ""} FROM ${unnest} WHERE p.workspace_id = $1 AND p.id = x.id`,
      [ws, ...columns(updated)],
    ));
  }
  await writeProfileActivity(client, ws, rows.map(({ p }) => p));
  const oldMerged = mergedAway.filter((m) => !m.state.isNew);
  await removeProfileActivity(client, ws, oldMerged.map((m) => m.state.id));
  if (oldMerged.length > 0) {
    await client.query(
      `UPDATE profiles p SET merged_into_id = x.root, merge_count = x.merges, updated_at = now()
       FROM unnest($2::uuid[], $3::uuid[], $4::int[]) AS x(id, root, merges) WHERE p.workspace_id = $1 AND p.id = x.id`,
      [ws, oldMerged.map((m) => m.state.id), oldMerged.map((m) => m.root), oldMerged.map((m) => m.state.mergeCount)],
    );
    // Their candidates now live in the survivor's document.
    await client.query(`DELETE FROM profile_trait_candidates WHERE workspace_id = $1 AND profile_id = ANY($2::uuid[])`, [ws, oldMerged.map((m) => m.state.id)]);
  }
  // Only documents that changed: rewriting a person's whole candidate document (a few KB, TOASTed)
  // for every page view was most of this table's writes and of its autovacuum.
  const docs = rows.flatMap(({ p }) => (p.candidatesChanged && p.candidates !== null && Object.keys(p.candidates).length > 0 ? [{ profileId: p.id, candidates: p.candidates }] : []));
  await writeTraitCandidates(client, ws, docs);
}

/** Stores profiles' candidate documents (in key order, so concurrent writers cannot deadlock). */
export async function writeTraitCandidates(client: pg.PoolClient, ws: string, docs: { profileId: string; candidates: TraitCandidates }[]) {
  if (docs.length === 0) return;
  await client.query(
    `INSERT INTO profile_trait_candidates AS c (workspace_id, profile_id, candidates)
     SELECT $1, x.id, x.doc::jsonb FROM unnest($2::uuid[], string_to_array($3, E'\\n')) AS x(id, doc) ORDER BY x.id
     ON CONFLICT (workspace_id, profile_id) DO UPDATE SET candidates = EXCLUDED.candidates`,
    [ws, docs.map((d) => d.profileId), jsonLines(docs.map((d) => d.candidates))],
  );
}

/** Replaces profiles' trait candidates and surviving traits with those of these observations (unmerge rebuilds). */
export async function rebuildTraits(client: pg.PoolClient, ws: string, settings: IdentitySettings, profileIds: string[], observations: TraitObservation[]) {
  const docs = new Map<string, TraitCandidates>(profileIds.map((id) => [id, {}]));
  for (const t of observations) observe(docs.get(t.profileId)!, t);
  const rows = [...docs].map(([id, doc]) => {
    capCandidates(doc, settings);
    return { id, doc, ...survivingTraits(doc, settings) };
  });
  await client.query(`DELETE FROM profile_trait_candidates WHERE workspace_id = $1 AND profile_id = ANY($2::uuid[])`, [ws, profileIds]);
  await writeTraitCandidates(client, ws, rows.filter((r) => Object.keys(r.doc).length > 0).map((r) => ({ profileId: r.id, candidates: r.doc })));
  await client.query(
    `UPDATE profiles p SET traits = x.traits::jsonb, display_name = x.display_name, search_name = x.search_name, search_name_last_first = x.last_first, updated_at = now()
     FROM unnest($2::uuid[], string_to_array($3, E'\\n'), $4::text[], $5::text[], $6::text[]) AS x(id, traits, display_name, search_name, last_first) WHERE p.workspace_id = $1 AND p.id = x.id`,
    [ws, rows.map((r) => r.id), jsonLines(rows.map((r) => r.traits)), rows.map((r) => r.displayName), rows.map((r) => r.searchName), rows.map((r) => r.searchNameLastFirst)],
  );
}
