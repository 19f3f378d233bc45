// Writes a batch's resolution back, set-based (one statement per kind of change, whatever the batch
// size): profiles (new and changed, their counters, trait candidates with lineage and surviving
// values computed in memory — lib/pipeline/profile-state.ts), new identities, merges (identities
// and links move to the surviving profile; the ledger records who linked whom), account links,
// conflicts. Timeline anchors and daily counts follow in the batch's follow-up (pipeline-follow-ups.ts).
import type pg from "pg";
import { isoTimes } from "@/lib/db/bulk-params";
import { identityKey, type ResolutionOutput } from "@/lib/identity/resolve-identities";
import type { IdentitySettings } from "@/lib/identity/identity-settings";
import type { PipelineEvent } from "@/lib/pipeline/load-batch-events";
import type { TraitObservation } from "@/lib/pipeline/collect-traits";
import { foldProfile, loadCandidates, newProfileState, recordEvent, recordTrait, writeProfileStates, type ProfileState } from "@/lib/pipeline/profile-state";

export interface ApplyInput {
  workspaceId: string;
  settings: IdentitySettings;
  events: PipelineEvent[];
  resolution: ResolutionOutput;
  /** Identities that existed before the batch: identityKey → id. */
  existingIds: Map<string, string>;
  /** The existing profiles the batch touches (all owners of its existing identities). */
  states: Map<string, ProfileState>;
  traits: TraitObservation[];
}

/** Writes the resolution; returns the profiles it changed (and of those the reshaped ones) and every identity's id by key. */
export async function applyResolution(client: pg.PoolClient, input: ApplyInput): Promise<{ profileIds: string[]; reshapedIds: string[]; identityIds: Map<string, string> }> {
  const { workspaceId: ws, resolution: r, events } = input;
  const byKey = new Map(events.map((e) => [e.id, e]));
  const ids = new Map(input.existingIds);
  const seen = lastSeen(r, byKey);
  const resolved = events.filter((e) => r.events.get(e.id));

  // 1. Profiles, in memory: new ones dated by the event that created them; merged ones fold into
  // their survivor; then the batch's events and trait observations; then one write.
  const states = input.states;
  const created = new Map<string, PipelineEvent>();
  for (const n of r.newIdentities) if (!created.has(n.ownerId)) created.set(n.ownerId, byKey.get(n.eventKey)!);
  for (const p of r.newProfiles) states.set(p.id, newProfileState(p.id, p.kind, created.get(p.id)!.timestamp));
  const loaded = (id: string) => {
    const s = states.get(id);
    if (!s) throw new Error(`Profile ${id} was not loaded for this batch.`);
    return s;
  };
  const state = (id: string) => loaded(r.root(id));
  const mergedAway = [...new Set(r.merges.map((m) => m.mergedId))].map((id) => ({ state: loaded(id), root: r.root(id) }));
  // Trait-candidate documents only where this batch changes them: merges and trait observations.
  await loadCandidates(client, ws, [...mergedAway.flatMap((m) => [m.state, state(m.root)]), ...input.traits.map((t) => state(t.profileId))]);
  for (const m of mergedAway) foldProfile(state(m.root), m.state);
  for (const [id, n] of r.mergeCounts) {
    const s = states.get(id);
    if (s) Object.assign(s, { mergeCount: n, dirty: true });
  }
  for (const e of resolved) {
    const res = r.events.get(e.id)!;
    recordEvent(state(res.profileId), e);
    if (res.accountProfileId) recordEvent(state(res.accountProfileId), e);
  }
  for (const t of input.traits) recordTrait(state(t.profileId), t);
  const live = [...states.values()].filter((s) => s.dirty && r.root(s.id) === s.id);
  await writeProfileStates(client, ws, input.settings, live, mergedAway);

  // 2. New identities, owned by where their profile ended up.
  if (r.newIdentities.length > 0) {
    const { rows } = await client.query<{ id: string; type: string; value: string }>(
      `INSERT INTO identities (workspace_id, type, value, profile_id, first_seen_at, last_seen_at, first_source_id, last_source_id)
       SELECT $1, x.type, x.value, x.profile, x.first, x.last, x.fs, x.ls FROM unnest($2::text[], $3::text[], $4::uuid[], $5::timestamptz[], $6::timestamptz[], $7::uuid[], $8::uuid[]) AS x(type, value, profile, first, last, fs, ls)
       RETURNING id::text, type, value`,
      [
        ws,
        r.newIdentities.map((n) => n.identifier.type),
        r.newIdentities.map((n) => n.identifier.value),
        r.newIdentities.map((n) => r.root(n.ownerId)),
        isoTimes(r.newIdentities.map((n) => byKey.get(n.eventKey)!.timestamp)),
        isoTimes(r.newIdentities.map((n) => seen.get(identityKey(n.identifier))?.at ?? byKey.get(n.eventKey)!.timestamp)),
        r.newIdentities.map((n) => byKey.get(n.eventKey)!.sourceId),
        r.newIdentities.map((n) => seen.get(identityKey(n.identifier))?.sourceId ?? byKey.get(n.eventKey)!.sourceId),
      ],
    );
    for (const row of rows) ids.set(identityKey(row), row.id);
  }

  // 3. Merges: everything of the merged profiles moves to where they ended up.
  if (r.merges.length > 0) await applyMerges(client, ws, r, ids, byKey);

  // (Identities already known are not rewritten: when they were last seen is their newest timeline
  // anchor, written with the batch's follow-up — lib/identity/identity-last-seen.ts.)

  // 4. Account links.
  const links = resolved.filter((e) => r.events.get(e.id)!.accountProfileId);
  if (links.length > 0) {
    await client.query(
      `INSERT INTO profile_links AS l (workspace_id, user_profile_id, account_profile_id, first_at, last_at)
       SELECT $1, u, a, min(ts), max(ts) FROM unnest($2::uuid[], $3::uuid[], $4::timestamptz[]) AS x(u, a, ts) GROUP BY u, a ORDER BY u, a
       ON CONFLICT (workspace_id, user_profile_id, account_profile_id) DO UPDATE SET first_at = LEAST(l.first_at, EXCLUDED.first_at), last_at = GREATEST(l.last_at, EXCLUDED.last_at)`,
      [ws, links.map((e) => r.root(r.events.get(e.id)!.profileId)), links.map((e) => r.events.get(e.id)!.accountProfileId), links.map((e) => e.timestamp)],
    );
  }

  // 5. Conflicts, for the identity page and the merge history.
  if (r.conflicts.length > 0) {
    await client.query(
      `INSERT INTO identity_conflicts (workspace_id, profile_id, event_id, message_id, source_id, identifier_type, identifier_value, reason, detail)
       SELECT $1, x.profile, x.event, x.message, x.source, x.type, x.value, x.reason, x.detail
       FROM unnest($2::uuid[], $3::bigint[], $4::text[], $5::uuid[], $6::text[], $7::text[], $8::text[], $9::text[]) AS x(profile, event, message, source, type, value, reason, detail)`,
      [
        ws,
        r.conflicts.map((c) => r.root(c.profileId)),
        r.conflicts.map((c) => c.eventKey),
        r.conflicts.map((c) => byKey.get(c.eventKey)!.messageId),
        r.conflicts.map((c) => byKey.get(c.eventKey)!.sourceId),
        r.conflicts.map((c) => c.identifier.type),
        r.conflicts.map((c) => c.identifier.value),
        r.conflicts.map((c) => c.reason),
        r.conflicts.map((c) => c.detail),
      ],
    );
  }
  // Profiles whose traits or identifiers may have changed (new ones, merge survivors, trait
  // observations, new identifiers); the others only got events.
  const reshaped = new Set([
    ...r.newProfiles.map((p) => r.root(p.id)),
    ...r.newIdentities.map((n) => r.root(n.ownerId)),
    ...mergedAway.map((m) => m.root),
    ...input.traits.map((t) => r.root(t.profileId)),
  ]);
  return { profileIds: live.map((p) => p.id), reshapedIds: [...reshaped], identityIds: ids };
}

/** Per identity the batch anchors or creates: when and from which source it was last seen. */
function lastSeen(r: ResolutionOutput, byKey: Map<string, PipelineEvent>): Map<string, { at: Date; sourceId: string }> {
  const seen = new Map<string, { at: Date; sourceId: string }>();
  const note = (key: string, e: PipelineEvent) => {
    const s = seen.get(key);
    if (!s || s.at < e.timestamp) seen.set(key, { at: e.timestamp, sourceId: e.sourceId });
  };
  for (const [eventKey, res] of r.events) if (res) note(identityKey(res.anchor), byKey.get(eventKey)!);
  for (const n of r.newIdentities) note(identityKey(n.identifier), byKey.get(n.eventKey)!);
  return seen;
}

async function applyMerges(client: pg.PoolClient, ws: string, r: ResolutionOutput, ids: Map<string, string>, byKey: Map<string, PipelineEvent>) {
  const merged = [...new Set(r.merges.map((m) => m.mergedId))];
  const roots = merged.map((m) => r.root(m));
  const args = [ws, merged, roots];
  const { rows: moved } = await client.query<{ id: string; merged: string }>(
    `UPDATE identities i SET profile_id = m.root FROM unnest($2::uuid[], $3::uuid[]) AS m(merged, root)
     WHERE i.workspace_id = $1 AND i.profile_id = m.merged RETURNING i.id::text, m.merged::text`,
    args,
  );
  const identitiesOf = new Map<string, string[]>();
  for (const row of moved) identitiesOf.set(row.merged, [...(identitiesOf.get(row.merged) ?? []), row.id]);
  for (const n of r.newIdentities) {
    const id = ids.get(identityKey(n.identifier));
    if (id) identitiesOf.set(n.ownerId, [...(identitiesOf.get(n.ownerId) ?? []), id]);
  }
  await client.query(
    `WITH m AS (SELECT * FROM unnest($2::uuid[], $3::uuid[]) AS m(merged, root)),
     moved AS (DELETE FROM profile_links l USING m WHERE l.workspace_id = $1 AND l.user_profile_id = m.merged RETURNING l.*, m.root)
     INSERT INTO profile_links AS l (workspace_id, user_profile_id, account_profile_id, first_at, last_at)
     SELECT $1, root, account_profile_id, min(first_at), max(last_at) FROM moved GROUP BY root, account_profile_id ORDER BY 2, 3
     ON CONFLICT (workspace_id, user_profile_id, account_profile_id) DO UPDATE SET first_at = LEAST(l.first_at, EXCLUDED.first_at), last_at = GREATEST(l.last_at, EXCLUDED.last_at)`,
    args,
  );
  // Separations (unmerges) of a merged profile now hold for its survivor, in both directions.
  await client.query(
    `WITH m AS (SELECT * FROM unnest($2::uuid[], $3::uuid[]) AS m(merged, root)),
     moved AS (DELETE FROM profile_separations s USING m WHERE s.workspace_id = $1 AND (s.profile_id = m.merged OR s.other_profile_id = m.merged)
               RETURNING CASE WHEN s.profile_id = m.merged THEN m.root ELSE s.profile_id END AS a, CASE WHEN s.other_profile_id = m.merged THEN m.root ELSE s.other_profile_id END AS b, s.created_by_id)
     INSERT INTO profile_separations (workspace_id, profile_id, other_profile_id, created_by_id)
     SELECT DISTINCT ON (a, b) $1, a, b, created_by_id FROM moved WHERE a <> b ORDER BY a, b ON CONFLICT DO NOTHING`,
    args,
  );
  await client.query(
    `INSERT INTO profile_merges (workspace_id, survivor_id, merged_id, event_id, message_id, source_id, linked_by, identity_ids)
     SELECT $1, x.survivor, x.merged, x.event, x.message, x.source, x.linked::jsonb, ARRAY(SELECT jsonb_array_elements_text(x.identities::jsonb)::bigint)
     FROM unnest($2::uuid[], $3::uuid[], $4::bigint[], $5::text[], $6::uuid[], $7::text[], $8::text[]) WITH ORDINALITY AS x(survivor, merged, event, message, source, linked, identities, n)
     ORDER BY x.n`,
    [
      ws,
      r.merges.map((m) => m.survivorId),
      r.merges.map((m) => m.mergedId),
      r.merges.map((m) => m.eventKey),
      r.merges.map((m) => byKey.get(m.eventKey)!.messageId),
      r.merges.map((m) => byKey.get(m.eventKey)!.sourceId),
      r.merges.map((m) => JSON.stringify(m.linkedBy)),
      r.merges.map((m) => JSON.stringify(m.absorbed.flatMap((p) => identitiesOf.get(p) ?? []))),
    ],
  );
}
