// Two locks per workspace, transaction-scoped (they end with the transaction). The pipeline lock
// serialises identity resolution: one batch of a workspace at a time (a worker only tries it and
// moves on to another workspace). The derived-state lock serialises what derives from resolved
// batches: applying their follow-ups (pipeline-follow-ups.ts). Whatever changes profiles outside
// the pipeline — an unmerge, a full segment evaluation, a computed-trait recomputation — holds both
// (in that order: nothing takes them the other way round) and applies the queued follow-ups first.
import type pg from "pg";
import { inTransaction } from "@/lib/db/in-transaction";
import { applyPendingFollowUps } from "@/lib/pipeline/pipeline-follow-ups";

const KEY = `hashtextextended('tessera.pipeline:' || $1, 0)`;
const DERIVED_KEY = `hashtextextended('tessera.derived:' || $1, 0)`;

/** Waits for the workspace's lock. */
async function lockWorkspacePipeline(client: pg.PoolClient, workspaceId: string): Promise<void> {
  await client.query(`SELECT pg_advisory_xact_lock(${KEY})`, [workspaceId]);
}

/** Takes the workspace's lock if it is free. */
export async function tryLockWorkspacePipeline(client: pg.PoolClient, workspaceId: string): Promise<boolean> {
  const { rows: [lock] } = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_xact_lock(${KEY}) AS ok`, [workspaceId]);
  return lock.ok;
}

/** Waits for the workspace's derived-state lock. */
export async function lockWorkspaceDerived(client: pg.PoolClient, workspaceId: string): Promise<void> {
  await client.query(`SELECT pg_advisory_xact_lock(${DERIVED_KEY})`, [workspaceId]);
}

/** Takes the workspace's derived-state lock if it is free. */
export async function tryLockWorkspaceDerived(client: pg.PoolClient, workspaceId: string): Promise<boolean> {
  const { rows: [lock] } = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_xact_lock(${DERIVED_KEY}) AS ok`, [workspaceId]);
  return lock.ok;
}

/**
 * Runs `work` in a transaction of its own that holds both of the workspace's locks, after applying
 * its queued follow-ups (so `work` sees every resolved event); rolls back if it throws.
 */
export async function inWorkspaceLock<T>(pool: pg.Pool, workspaceId: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return inTransaction(pool, async (client) => {
    await lockWorkspacePipeline(client, workspaceId);
    await lockWorkspaceDerived(client, workspaceId);
    await applyPendingFollowUps(client, workspaceId);
    return work(client);
  });
}
