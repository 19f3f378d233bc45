// Writes a batch's resolution back, set-based (one statement per kind of change, whatever the batch
// size): new profiles and identities, merges (identities, traits, links and counters move to the
// surviving profile; the ledger records who linked whom), timeline anchors, profile counters,
// trait candidates with their lineage and the surviving trait values, account links, conflicts.
import type pg from "pg";
import { identityKey, type ResolutionOutput } from "@/lib/identity/resolve-identities";
import type { IdentitySettings } from "@/lib/identity/identity-settings";
import type { PipelineEvent } from "@/lib/pipeline/load-batch-events";
import type { TraitObservation } from "@/lib/pipeline/collect-traits";

export interface ApplyInput {
  workspaceId: string;
  settings: IdentitySettings;
  events: PipelineEvent[];
  resolution: ResolutionOutput;
  /** Identities that existed before the batch: identityKey → id. */
  existingIds: Map<string, string>;
  traits: TraitObservation[];
}

export async function applyResolution(client: pg.PoolClient, input: ApplyInput): Promise<{ profileIds: string[] }> {
  const { workspaceId: ws, resolution: r, events } = input;
  const byKey = new Map(events.map((e) => [e.id, e]));
  const ids = new Map(input.existingIds);
  const seen = lastSeen(r, byKey);

  // 1. New profiles, dated by the event that created them.
  const created = new Map<string, PipelineEvent>();
  for (const n of r.newIdentities) if (!created.has(n.ownerId)) created.set(n.ownerId, byKey.get(n.eventKey)!);
  if (r.newProfiles.length > 0) {
    await client.query(
      `INSERT INTO profiles (workspace_id, id, kind, merged_into_id, first_seen_at, last_seen_at)
       SELECT $1, x.id, x.kind::"ProfileKind", NULLIF(x.root, x.id), x.ts, x.ts FROM unnest($2::uuid[], $3::text[], $4::uuid[], $5::timestamptz[]) AS x(id, kind, root, ts)`,
      [ws, r.newProfiles.map((p) => p.id), r.newProfiles.map((p) => p.kind), r.newProfiles.map((p) => r.root(p.id)), r.newProfiles.map((p) => created.get(p.id)!.timestamp)],
    );
  }

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
        r.newIdentities.map((n) => byKey.get(n.eventKey)!.timestamp),
        r.newIdentities.map((n) => seen.get(identityKey(n.identifier))?.at ?? byKey.get(n.eventKey)!.timestamp),
        r.newIdentities.map((n) => byKey.get(n.eventKey)!.sourceId),
        r.newIdentities.map((n) => seen.get(identityKey(n.identifier))?.sourceId ?? byKey.get(n.eventKey)!.sourceId),
      ],
    );
    for (const row of rows) ids.set(identityKey(row), row.id);
  }

  // 3. Merges: everything of the merged profiles moves to where they ended up.
  if (r.merges.length > 0) await applyMerges(client, ws, r, ids, byKey);

  // 4. Last seen of the identities that were already known.
  const known = [...seen].filter(([key]) => input.existingIds.has(key));
  if (known.length > 0) {
    await client.query(
      `UPDATE identities i SET last_seen_at = x.at, last_source_id = x.source
       FROM unnest($2::bigint[], $3::timestamptz[], $4::uuid[]) AS x(id, at, source)
       WHERE i.workspace_id = $1 AND i.id = x.id AND i.last_seen_at < x.at`,
      [ws, known.map(([k]) => input.existingIds.get(k)), known.map(([, v]) => v.at), known.map(([, v]) => v.sourceId)],
    );
  }

  // 5. Timeline anchors.
  const resolved = events.filter((e) => r.events.get(e.id));
  if (resolved.length > 0) {
    await client.query(
      `INSERT INTO event_identities (workspace_id, identity_id, timestamp, event_id, received_at)
       SELECT $1, x.identity, x.ts, x.event, x.received FROM unnest($2::bigint[], $3::timestamptz[], $4::bigint[], $5::timestamptz[]) AS x(identity, ts, event, received)
       ON CONFLICT DO NOTHING`,
      [ws, resolved.map((e) => ids.get(identityKey(r.events.get(e.id)!.anchor))), resolved.map((e) => e.timestamp), resolved.map((e) => e.id), resolved.map((e) => e.receivedAt)],
    );
  }

  // 6. Counters of the profiles the events landed on (accounts count their group calls).
  const hits: { profile: string; e: PipelineEvent }[] = [];
  for (const e of resolved) {
    const res = r.events.get(e.id)!;
    hits.push({ profile: r.root(res.profileId), e });
    if (res.accountProfileId) hits.push({ profile: res.accountProfileId, e });
  }
  if (hits.length > 0) {
    await client.query(
      `WITH x AS (SELECT * FROM unnest($2::uuid[], $3::timestamptz[], $4::uuid[], $5::text[]) AS x(profile, ts, source, message)),
       agg AS (SELECT profile, count(*)::int AS n, min(ts) AS first, max(ts) AS last, (array_agg(source ORDER BY ts DESC))[1] AS last_source,
                      (array_agg(message ORDER BY ts DESC))[1] AS last_message, array_agg(DISTINCT source) AS sources
               FROM x GROUP BY profile)
       UPDATE profiles p SET event_count = p.event_count + agg.n, first_seen_at = LEAST(p.first_seen_at, agg.first),
         last_source_id = CASE WHEN agg.last >= p.last_seen_at THEN agg.last_source ELSE p.last_source_id END,
         last_message_id = CASE WHEN agg.last >= p.last_seen_at THEN agg.last_message ELSE p.last_message_id END,
         last_seen_at = GREATEST(p.last_seen_at, agg.last),
         source_ids = ARRAY(SELECT DISTINCT s FROM unnest(p.source_ids || agg.sources) s ORDER BY 1), updated_at = now()
       FROM agg WHERE p.workspace_id = $1 AND p.id = agg.profile`,
      [ws, hits.map((h) => h.profile), hits.map((h) => h.e.timestamp), hits.map((h) => h.e.sourceId), hits.map((h) => h.e.messageId)],
    );
  }

  // 7. Account links.
  const links = resolved.filter((e) => r.events.get(e.id)!.accountProfileId);
  if (links.length > 0) {
    await client.query(
      `INSERT INTO profile_links AS l (workspace_id, user_profile_id, account_profile_id, first_at, last_at)
       SELECT $1, u, a, min(ts), max(ts) FROM unnest($2::uuid[], $3::uuid[], $4::timestamptz[]) AS x(u, a, ts) GROUP BY u, a ORDER BY u, a
       ON CONFLICT (workspace_id, user_profile_id, account_profile_id) DO UPDATE SET first_at = LEAST(l.first_at, EXCLUDED.first_at), last_at = GREATEST(l.last_at, EXCLUDED.last_at)`,
      [ws, links.map((e) => r.root(r.events.get(e.id)!.profileId)), links.map((e) => r.events.get(e.id)!.accountProfileId), links.map((e) => e.timestamp)],
    );
  }

  // 8. Traits: candidates with lineage, then the surviving value per trait.
  const traits = input.traits.map((t) => ({ ...t, profileId: r.root(t.profileId) }));
  await upsertTraitObservations(client, ws, traits);
  const touched = new Set([...hits.map((h) => h.profile), ...traits.map((t) => t.profileId), ...r.merges.map((m) => r.root(m.survivorId))]);
  const traitProfiles = new Set([...traits.map((t) => t.profileId), ...r.merges.map((m) => r.root(m.survivorId))]);
  if (traitProfiles.size > 0) await recomputeProfileTraits(client, ws, [...traitProfiles], input.settings);

  // 9. Conflicts, for the identity page and the merge history.
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
  return { profileIds: [...touched] };
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
  // Counters of the merged profiles fold into the survivors; merged profiles point at them.
  await client.query(
    `WITH m AS (SELECT * FROM unnest($2::uuid[], $3::uuid[]) AS m(merged, root)),
     sources AS (SELECT m.root, array_agg(DISTINCT s) AS sources FROM profiles p JOIN m ON p.workspace_id = $1 AND p.id = m.merged CROSS JOIN LATERAL unnest(p.source_ids) s GROUP BY m.root),
     agg AS (SELECT m.root, sum(p.event_count)::int AS n, min(p.first_seen_at) AS first, max(p.last_seen_at) AS last,
                    (array_agg(p.last_source_id ORDER BY p.last_seen_at DESC))[1] AS last_source, (array_agg(p.last_message_id ORDER BY p.last_seen_at DESC))[1] AS last_message
             FROM profiles p JOIN m ON p.workspace_id = $1 AND p.id = m.merged GROUP BY m.root)
     UPDATE profiles p SET event_count = p.event_count + agg.n, first_seen_at = LEAST(p.first_seen_at, agg.first),
       last_source_id = CASE WHEN agg.last > p.last_seen_at THEN agg.last_source ELSE p.last_source_id END,
       last_message_id = CASE WHEN agg.last > p.last_seen_at THEN agg.last_message ELSE p.last_message_id END,
       last_seen_at = GREATEST(p.last_seen_at, agg.last),
       source_ids = ARRAY(SELECT DISTINCT s FROM unnest(p.source_ids || coalesce(src.sources, '{}')) s WHERE s IS NOT NULL ORDER BY 1), updated_at = now()
     FROM agg LEFT JOIN sources src ON src.root = agg.root WHERE p.workspace_id = $1 AND p.id = agg.root`,
    args,
  );
  await client.query(
    `UPDATE profiles p SET merged_into_id = m.root, updated_at = now() FROM unnest($2::uuid[], $3::uuid[]) AS m(merged, root) WHERE p.workspace_id = $1 AND p.id = m.merged`,
    args,
  );
  await client.query(
    `UPDATE profiles p SET merge_count = x.n FROM unnest($2::uuid[], $3::int[]) AS x(id, n) WHERE p.workspace_id = $1 AND p.id = x.id`,
    [ws, [...r.mergeCounts.keys()], [...r.mergeCounts.values()]],
  );
  await client.query(
    `WITH m AS (SELECT * FROM unnest($2::uuid[], $3::uuid[]) AS m(merged, root)),
     moved AS (DELETE FROM profile_traits t USING m WHERE t.workspace_id = $1 AND t.profile_id = m.merged RETURNING t.*, m.root)
     INSERT INTO profile_traits AS t (workspace_id, profile_id, key, value_hash, value, count, first_at, last_at, first_source_id, source_id, message_id)
     SELECT $1, root, key, value_hash, (array_agg(value))[1], sum(count)::int, min(first_at), max(last_at),
            (array_agg(first_source_id ORDER BY first_at))[1], (array_agg(source_id ORDER BY last_at DESC))[1], (array_agg(message_id ORDER BY last_at DESC))[1]
     FROM moved GROUP BY root, key, value_hash ORDER BY root, key, value_hash
     ON CONFLICT (workspace_id, profile_id, key, value_hash) DO UPDATE SET ${TRAIT_CANDIDATE_MERGE}`,
    args,
  );
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

const TRAIT_CANDIDATE_MERGE = `
  count = t.count + EXCLUDED.count,
  first_source_id = CASE WHEN EXCLUDED.first_at < t.first_at THEN EXCLUDED.first_source_id ELSE t.first_source_id END,
  first_at = LEAST(t.first_at, EXCLUDED.first_at),
  source_id = CASE WHEN EXCLUDED.last_at >= t.last_at THEN EXCLUDED.source_id ELSE t.source_id END,
  message_id = CASE WHEN EXCLUDED.last_at >= t.last_at THEN EXCLUDED.message_id ELSE t.message_id END,
  last_at = GREATEST(t.last_at, EXCLUDED.last_at)`;

/** Adds trait observations to the profiles' candidates (count, first/last seen, lineage). */
export async function upsertTraitObservations(client: pg.PoolClient, ws: string, traits: TraitObservation[]) {
  if (traits.length === 0) return;
  await client.query(
    `WITH o AS (SELECT x.p, x.k, x.v::jsonb AS v, x.ts, x.s, x.m FROM unnest($2::uuid[], $3::text[], $4::text[], $5::timestamptz[], $6::uuid[], $7::text[]) AS x(p, k, v, ts, s, m)),
     g AS (SELECT p, k, md5(v::text) AS h, (array_agg(v))[1] AS v, count(*)::int AS c, min(ts) AS f, max(ts) AS l,
                  (array_agg(s ORDER BY ts))[1] AS fs, (array_agg(s ORDER BY ts DESC))[1] AS s, (array_agg(m ORDER BY ts DESC))[1] AS m
           FROM o GROUP BY p, k, md5(v::text))
     INSERT INTO profile_traits AS t (workspace_id, profile_id, key, value_hash, value, count, first_at, last_at, first_source_id, source_id, message_id)
     SELECT $1, p, k, h, v, c, f, l, fs, s, m FROM g ORDER BY p, k, h
     ON CONFLICT (workspace_id, profile_id, key, value_hash) DO UPDATE SET ${TRAIT_CANDIDATE_MERGE}`,
    [ws, traits.map((t) => t.profileId), traits.map((t) => t.key), traits.map((t) => t.json), traits.map((t) => t.at), traits.map((t) => t.sourceId), traits.map((t) => t.messageId)],
  );
}

/** Picks each trait's surviving value by its rule and stores them as the profiles' traits. */
export async function recomputeProfileTraits(client: pg.PoolClient, ws: string, profileIds: string[], settings: IdentitySettings) {
  await client.query(
    `WITH ranked AS (
       SELECT t.profile_id, t.key, t.value, row_number() OVER (
         PARTITION BY t.profile_id, t.key
         ORDER BY CASE coalesce($3::jsonb ->> t.key, 'most_recent')
                    WHEN 'most_frequent' THEN -t.count
                    WHEN 'source_priority' THEN coalesce(array_position($4::uuid[], t.source_id), 1000000)
                    ELSE 0 END,
                  CASE WHEN coalesce($3::jsonb ->> t.key, 'most_recent') = 'first' THEN t.first_at END ASC NULLS LAST,
                  t.last_at DESC, t.value_hash) AS rn
       FROM profile_traits t WHERE t.workspace_id = $1 AND t.profile_id = ANY($2::uuid[])),
     agg AS (SELECT p.id, coalesce(jsonb_object_agg(r.key, r.value) FILTER (WHERE r.key IS NOT NULL), '{}') AS traits
             FROM unnest($2::uuid[]) AS p(id) LEFT JOIN ranked r ON r.profile_id = p.id AND r.rn = 1 GROUP BY p.id),
     named AS (SELECT id, traits, nullif(btrim(coalesce(traits->>'name', concat_ws(' ', traits->>'first_name', traits->>'last_name'))), '') AS name FROM agg)
     UPDATE profiles p SET traits = named.traits, display_name = left(named.name, 200), search_name = lower(left(named.name, 200)), updated_at = now()
     FROM named WHERE p.workspace_id = $1 AND p.id = named.id`,
    [ws, profileIds, JSON.stringify(settings.traitRules), settings.sourcePriority],
  );
}
