// Unmerge (admin): splits an identifier off a profile. If the identifier came in through a merge,
// that merge is undone: the merged profile comes back with the identifiers it brought (those still
// on this profile). Otherwise the identifier alone starts a new profile. Events and traits follow
// their identifiers: both profiles' counters, traits and account links are rebuilt from their
// events. The two profiles are kept apart from then on (resolution refuses to merge them again),
// so re-sent events give the same split.
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { getPool } from "@/lib/db/pool";
import { AppError } from "@/lib/errors";
import { getIdentitySettings } from "@/lib/identity/get-identity-settings";
import { collectTraits } from "@/lib/pipeline/collect-traits";
import type { PipelineEvent } from "@/lib/pipeline/load-batch-events";
import { rebuildTraits } from "@/lib/pipeline/profile-state";
import { inWorkspaceLock } from "@/lib/pipeline/workspace-lock";
import { profileUpdateSteps, type ProfileUpdateStep } from "@/lib/pipeline/profile-update-steps";
import { rebuildEventDays } from "@/lib/profiles/profile-event-days";
import { syncProfileActivity } from "@/lib/profiles/profile-activity";

export interface UnmergeResult {
  profileId: string;
  splitProfileId: string;
  /** The identities that moved to the split profile. */
  identityIds: string[];
  /** The merge that was undone, if the identifier came in through one. */
  undoneMergeId: string | null;
}

export async function unmergeProfile(options: {
  workspaceId: string;
  profileId: string;
  identifier: { type: string; value: string };
  userId?: string;
  pool?: pg.Pool;
  /** Run on both profiles afterwards, in the same transaction, like after a pipeline batch (segment memberships). */
  steps?: ProfileUpdateStep[];
}): Promise<UnmergeResult> {
  const { workspaceId: ws, profileId } = options;
  // The pipeline resolves this workspace under the same lock: this waits for its batch in progress.
  return inWorkspaceLock(options.pool ?? getPool(), ws, async (client) => {
    const { rows: [identity] } = await client.query<{ id: string; profile_id: string }>(
      `SELECT id::text, profile_id FROM identities WHERE workspace_id = $1 AND type = $2 AND value = $3`,
      [ws, options.identifier.type, options.identifier.value],
    );
    if (!identity || identity.profile_id !== profileId) throw new AppError("not_found", "This identifier is not on this profile.");
    const { rows: owned } = await client.query<{ id: string }>(`SELECT id::text FROM identities WHERE workspace_id = $1 AND profile_id = $2`, [ws, profileId]);
    if (owned.length < 2) throw new AppError("conflict", "This profile has a single identifier: there is nothing to split off.");
    const ownedIds = new Set(owned.map((o) => o.id));

    const { rows: [merge] } = await client.query<{ id: string; merged_id: string; identity_ids: string[] }>(
      `SELECT id::text, merged_id, identity_ids::text[] FROM profile_merges
       WHERE workspace_id = $1 AND undone_at IS NULL AND $2::bigint = ANY(identity_ids) ORDER BY id DESC LIMIT 1`,
      [ws, identity.id],
    );
    let split: string;
    let moving: string[];
    if (merge) {
      split = merge.merged_id;
      moving = merge.identity_ids.filter((i) => ownedIds.has(i));
      if (moving.length === owned.length) throw new AppError("conflict", "Splitting this identifier off would leave the profile empty.");
      await client.query(`UPDATE profiles SET merged_into_id = NULL, updated_at = now() WHERE workspace_id = $1 AND id = $2`, [ws, split]);
      await client.query(`UPDATE profile_merges SET undone_at = now(), undone_by_id = $3 WHERE workspace_id = $1 AND id = $2`, [ws, merge.id, options.userId ?? null]);
      await client.query(`UPDATE profiles SET merge_count = greatest(merge_count - 1, 0) WHERE workspace_id = $1 AND id = $2`, [ws, profileId]);
    } else {
      split = randomUUID();
      moving = [identity.id];
      await client.query(`INSERT INTO profiles (workspace_id, id, kind, first_seen_at, last_seen_at) SELECT workspace_id, $3, kind, first_seen_at, last_seen_at FROM profiles WHERE workspace_id = $1 AND id = $2`, [ws, profileId, split]);
    }
    await client.query(`UPDATE identities SET profile_id = $3 WHERE workspace_id = $1 AND id = ANY($2::bigint[])`, [ws, moving, split]);
    await client.query(
      `INSERT INTO profile_separations (workspace_id, profile_id, other_profile_id, created_by_id) VALUES ($1, $2, $3, $4), ($1, $3, $2, $4) ON CONFLICT DO NOTHING`,
      [ws, profileId, split, options.userId ?? null],
    );
    await rebuildFromEvents(client, ws, [profileId, split]);
    await syncProfileActivity(client, ws, [profileId, split]);
    await rebuildEventDays(client, ws, [profileId, split]);
    // What depends on profiles (segment memberships, destinations) is recomputed for both.
    for (const step of options.steps ?? profileUpdateSteps()) await step.run({ client, workspaceId: ws, profileIds: [profileId, split], events: [] });
    return { profileId, splitProfileId: split, identityIds: moving, undoneMergeId: merge?.id ?? null };
  });
}

/** Rebuilds counters, traits and account links of person profiles from the events of their identifiers. */
async function rebuildFromEvents(client: pg.PoolClient, ws: string, profileIds: string[]) {
  const { rows } = await client.query(
    `SELECT i.profile_id, e.id::text, e.source_id, e.message_id, e.type, e.timestamp, e.received_at,
            e.raw->'context' AS context, e.raw->'traits' AS traits, e.raw->>'groupId' AS group_id
     FROM identities i
     JOIN event_identities a ON a.workspace_id = i.workspace_id AND a.identity_id = i.id
     JOIN events e ON e.workspace_id = a.workspace_id AND e.id = a.event_id AND e.received_at = a.received_at
     WHERE i.workspace_id = $1 AND i.profile_id = ANY($2::uuid[])`,
    [ws, profileIds],
  );
  await client.query(
    `WITH agg AS (SELECT p.id, count(x.event_id)::int AS n, min(x.ts) AS first, max(x.ts) AS last,
                         (array_agg(x.source ORDER BY x.ts DESC))[1] AS last_source, (array_agg(x.message ORDER BY x.ts DESC))[1] AS last_message,
                         coalesce(array_agg(DISTINCT x.source) FILTER (WHERE x.source IS NOT NULL), '{}') AS sources
                  FROM unnest($2::uuid[]) AS p(id)
                  LEFT JOIN unnest($3::uuid[], $4::bigint[], $5::timestamptz[], $6::uuid[], $7::text[]) AS x(profile, event_id, ts, source, message) ON x.profile = p.id
                  GROUP BY p.id)
     UPDATE profiles p SET event_count = agg.n, first_seen_at = coalesce(agg.first, p.first_seen_at), last_seen_at = coalesce(agg.last, p.last_seen_at),
       last_source_id = agg.last_source, last_message_id = agg.last_message, source_ids = agg.sources, updated_at = now()
     FROM agg WHERE p.workspace_id = $1 AND p.id = agg.id`,
    [ws, profileIds, rows.map((r) => r.profile_id), rows.map((r) => r.id), rows.map((r) => r.timestamp), rows.map((r) => r.source_id), rows.map((r) => r.message_id)],
  );

  const events: PipelineEvent[] = rows.map((r) => ({
    id: r.id, sourceId: r.source_id, messageId: r.message_id, type: r.type, event: null, userId: null, anonymousId: null, timestamp: r.timestamp, receivedAt: r.received_at,
    raw: { context: r.context ?? undefined, traits: r.traits ?? undefined },
  }));
  const owner = new Map(rows.map((r) => [r.id as string, r.profile_id as string]));
  // Account traits live on the account: only the person's side of group calls is replayed here.
  const observations = collectTraits(events, (id) => ({ profileId: owner.get(id)!, accountProfileId: null }));
  await rebuildTraits(client, ws, await getIdentitySettings(client, ws), profileIds, observations);

  await client.query(`DELETE FROM profile_links WHERE workspace_id = $1 AND user_profile_id = ANY($2::uuid[])`, [ws, profileIds]);
  const groups = rows.filter((r) => r.type === "group" && typeof r.group_id === "string");
  if (groups.length > 0) {
    await client.query(
      `INSERT INTO profile_links (workspace_id, user_profile_id, account_profile_id, first_at, last_at)
       SELECT $1, x.profile, i.profile_id, min(x.ts), max(x.ts)
       FROM unnest($2::uuid[], $3::text[], $4::timestamptz[]) AS x(profile, group_id, ts)
       JOIN identities i ON i.workspace_id = $1 AND i.type = 'group_id' AND i.value = btrim(x.group_id)
       GROUP BY x.profile, i.profile_id ON CONFLICT DO NOTHING`,
      [ws, groups.map((g) => g.profile_id), groups.map((g) => g.group_id), groups.map((g) => g.timestamp)],
    );
  }
}
