// The pipeline's second stage. Resolving a batch (the first stage, process-pipeline-batch.ts, under
// the workspace's pipeline lock) writes what identity resolution decides — profiles, identities,
// merges, traits — and queues a follow-up in the same transaction: which event went to which
// identity and profile, which profiles changed, which merged. Applying follow-ups (under the
// workspace's derived-state lock, in id order, those queued behind each other together in one
// transaction) writes what derives from them: timeline anchors, daily event counts (merged
// profiles' days folded into their survivors), then the profile-update steps (computed traits,
// segment memberships). The two stages run on two connections, so the next batch resolves while
// the previous one's follow-up is applied (both cores busy instead of one statement at a time). A
// follow-up is durable: a crash between the stages loses nothing, it is applied after the restart.
//
// A later batch may merge away a profile an earlier follow-up names (the first stage runs ahead).
// Applying follow-ups in order keeps that right without looking ahead: the earlier one counts the
// merged profile's events (its memberships are not evaluated: it is merged), then the merge's
// follow-up folds its days into the survivor, drops its memberships and computed values and
// evaluates the survivor; applied together, every event is counted first and the merged profiles'
// days are folded after (combineFollowUps). Whatever must see everything resolved so far (unmerge,
// full evaluations) holds both locks and applies the queued follow-ups first (workspace-lock.ts).
import type pg from "pg";
import { isoTimes } from "@/lib/db/bulk-params";
import { inTransaction } from "@/lib/db/in-transaction";
import { getPool } from "@/lib/db/pool";
import { profileUpdateSteps, type ProfileUpdateStep } from "@/lib/pipeline/profile-update-steps";
import { lockWorkspaceDerived, tryLockWorkspaceDerived } from "@/lib/pipeline/workspace-lock";
import { addEventDays, foldEventDays } from "@/lib/profiles/profile-event-days";

/** A resolved batch's derived work, one array per column (one element per event, in batch order). */
export interface FollowUpWork {
  eventIds: string[];
  messageIds: string[];
  names: (string | null)[];
  /** Event timestamps and receipt times, epoch milliseconds. */
  timestamps: number[];
  receivedAts: number[];
  /** The identity each event is anchored to and the profile it resolved to (null: unresolved). */
  identityIds: (string | null)[];
  profileIds: (string | null)[];
  /** Profiles whose traits, identifiers or events changed; of those, the reshaped ones (ProfileUpdate). */
  touched: string[];
  reshaped: string[];
  /** [merged profile, where it went]. */
  merges: [string, string][];
}

/** Within the resolving transaction: queues the batch's derived work. */
export async function queueFollowUp(client: pg.PoolClient, ws: string, work: FollowUpWork, receivedAt: Date): Promise<void> {
  await client.query(
    `INSERT INTO pipeline_follow_ups (workspace_id, event_count, received_at, work) VALUES ($1, $2, $3, $4::json)`,
    [ws, work.eventIds.length, receivedAt.toISOString(), JSON.stringify(work)],
  );
}

/**
 * Applies the oldest follow-ups (MAX_FOLLOW_UP_EVENTS) of a workspace whose derived-state lock is
 * free, in a transaction of their own; returns the workspace and event count, or null when there is none.
 */
export async function applyNextFollowUp(options: { pool?: pg.Pool; steps?: ProfileUpdateStep[] } = {}): Promise<{ workspaceId: string; events: number } | null> {
  // Asynchronous commit, as the first stage: what it writes derives from durable rows, and a crash
  // loses the transaction whole (the follow-up stays queued).
  return inTransaction(options.pool ?? getPool(), async (client) => {
    const { rows: candidates } = await client.query<{ workspace_id: string }>(`SELECT DISTINCT workspace_id FROM (SELECT workspace_id FROM pipeline_follow_ups LIMIT 500) t`);
    for (const { workspace_id: ws } of candidates) {
      if (!(await tryLockWorkspaceDerived(client, ws))) continue;
      const events = await applyOldestFollowUps(client, ws, options.steps);
      if (events !== null) return { workspaceId: ws, events };
    }
    return null;
  }, { asyncCommit: true });
}

/** Within a transaction holding the workspace's derived-state lock: applies all its queued follow-ups, oldest first. */
export async function applyPendingFollowUps(client: pg.PoolClient, ws: string, steps?: ProfileUpdateStep[]): Promise<number> {
  let events = 0;
  for (;;) {
    const n = await applyOldestFollowUps(client, ws, steps);
    if (n === null) return events;
    events += n;
  }
}

/** Applies a workspace's follow-ups in a transaction of its own, waiting for its derived-state lock. */
export async function drainFollowUps(ws: string, options: { pool?: pg.Pool; steps?: ProfileUpdateStep[] } = {}): Promise<number> {
  return inTransaction(options.pool ?? getPool(), async (client) => {
    await lockWorkspaceDerived(client, ws);
    return applyPendingFollowUps(client, ws, options.steps);
  }, { asyncCommit: true });
}

/**
 * Follow-ups queued behind each other are applied together, up to about this many events: one set
 * of statements for several batches, so a stage that fell behind catches up with larger batches
 * instead of paying each statement's fixed cost once per batch.
 */
export const MAX_FOLLOW_UP_EVENTS = 10_000;

async function applyOldestFollowUps(client: pg.PoolClient, ws: string, steps = profileUpdateSteps()): Promise<number | null> {
  const { rows } = await client.query<{ id: string; work: FollowUpWork }>(
    `DELETE FROM pipeline_follow_ups WHERE workspace_id = $1 AND id = ANY(ARRAY(
       SELECT id FROM (SELECT id, event_count, sum(event_count) OVER (ORDER BY id) AS upto FROM pipeline_follow_ups WHERE workspace_id = $1 ORDER BY id LIMIT 100) t
       WHERE upto = event_count OR upto <= $2))
     RETURNING id::text, work`,
    [ws, MAX_FOLLOW_UP_EVENTS],
  );
  if (rows.length === 0) return null;
  const w = combineFollowUps(rows.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1)).map((r) => r.work));

  const anchored = w.eventIds.flatMap((_, i) => (w.identityIds[i] !== null ? [i] : []));
  if (anchored.length > 0) {
    await client.query(
      `INSERT INTO event_identities (workspace_id, identity_id, timestamp, event_id, received_at)
       SELECT $1, x.identity, x.ts, x.event, x.received FROM unnest($2::bigint[], $3::timestamptz[], $4::bigint[], $5::timestamptz[]) AS x(identity, ts, event, received)
       ON CONFLICT DO NOTHING`,
      [ws, anchored.map((i) => w.identityIds[i]), isoTimes(anchored.map((i) => new Date(w.timestamps[i]))), anchored.map((i) => w.eventIds[i]), isoTimes(anchored.map((i) => new Date(w.receivedAts[i])))],
    );
  }
  // Each event counts for the profile its batch resolved it to; then the days of profiles merged
  // since (in any of these batches) move to where they ended up.
  const resolved = w.eventIds.flatMap((_, i) => (w.profileIds[i] !== null ? [i] : []));
  await addEventDays(client, ws, resolved.map((i) => ({ profileId: w.profileIds[i]!, event: w.names[i], timestamp: new Date(w.timestamps[i]) })));
  const mergedIds = w.merges.map(([m]) => m);
  await foldEventDays(client, ws, mergedIds, w.merges.map(([, r]) => r));

  const update = {
    client,
    workspaceId: ws,
    profileIds: w.touched,
    mergedIds,
    reshapedIds: w.reshaped,
    events: w.eventIds.map((id, i) => ({ event: { id, messageId: w.messageIds[i], event: w.names[i] }, profileId: w.profileIds[i] })),
  };
  for (const step of steps) await step.run(update);
  return w.eventIds.length;
}

/**
 * Consecutive follow-ups as one: their events in order, the union of their touched and reshaped
 * profiles, and each merged profile mapped to the profile it ended up in (a profile merged into one
 * that a later batch merged again goes to the last one).
 */
export function combineFollowUps(works: FollowUpWork[]): FollowUpWork {
  if (works.length === 1) return works[0];
  const into = new Map<string, string>();
  for (const w of works) for (const [merged, root] of w.merges) into.set(merged, root);
  const finalRoot = (id: string) => {
    let at = id;
    for (let hops = 0; into.has(at) && hops <= into.size; hops++) at = into.get(at)!;
    return at;
  };
  return {
    eventIds: works.flatMap((w) => w.eventIds),
    messageIds: works.flatMap((w) => w.messageIds),
    names: works.flatMap((w) => w.names),
    timestamps: works.flatMap((w) => w.timestamps),
    receivedAts: works.flatMap((w) => w.receivedAts),
    identityIds: works.flatMap((w) => w.identityIds),
    profileIds: works.flatMap((w) => w.profileIds),
    touched: [...new Set(works.flatMap((w) => w.touched))],
    reshaped: [...new Set(works.flatMap((w) => w.reshaped))],
    merges: [...into.keys()].map((merged) => [merged, finalRoot(merged)]),
  };
}
