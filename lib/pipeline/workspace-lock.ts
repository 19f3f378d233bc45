// One lock per workspace serialises whatever changes its profiles' derived state: a pipeline batch
// (which only tries it and moves on to another workspace), an unmerge, a full segment evaluation,
// a computed-trait recomputation. Transaction-scoped: it ends with the transaction.
import type pg from "pg";

const KEY = `hashtextextended('tessera.pipeline:' || $1, 0)`;

/** Waits for the workspace's lock. */
async function lockWorkspacePipeline(client: pg.PoolClient, workspaceId: string): Promise<void> {
  await client.query(`SELECT pg_advisory_xact_lock(${KEY})`, [workspaceId]);
}

/** Takes the workspace's lock if it is free. */
export async function tryLockWorkspacePipeline(client: pg.PoolClient, workspaceId: string): Promise<boolean> {
  const { rows: [lock] } = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_xact_lock(${KEY}) AS ok`, [workspaceId]);
  return lock.ok;
}

/** Runs `work` in a transaction of its own that holds the workspace's lock; rolls back if it throws. */
export async function inWorkspaceLock<T>(pool: pg.Pool, workspaceId: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await lockWorkspacePipeline(client, workspaceId);
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
