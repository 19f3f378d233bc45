import type pg from "pg";

/**
 * Runs `work` on a pooled connection in a transaction: COMMIT when it returns, ROLLBACK when it
 * throws. `asyncCommit`: the commit does not wait for its WAL flush (for transactions whose writes
 * derive from rows already durable, so a crash may lose them whole and they are simply redone).
 */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>, options: { asyncCommit?: boolean } = {}): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(options.asyncCommit ? "BEGIN; SET LOCAL synchronous_commit = off" : "BEGIN");
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
