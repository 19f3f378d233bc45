// The tracking API answers a repeated (workspace, source, messageId) with 200 and stores it once
// for at least 7 days: keys live in event_dedupe for DEDUPE_WINDOW_DAYS (a day of margin), then
// this prune removes them in small batches so it never holds long locks next to ingestion.
import type pg from "pg";
import { getPool } from "@/lib/db/pool";
import { periodicWorker } from "@/lib/jobs/periodic-worker";

export const DEDUPE_WINDOW_DAYS = 8;

export async function pruneDedupeWindow(options: { pool?: pg.Pool; now?: Date; batchSize?: number } = {}): Promise<number> {
  const pool = options.pool ?? getPool();
  const cutoff = new Date((options.now ?? new Date()).getTime() - DEDUPE_WINDOW_DAYS * 86_400_000);
  const batchSize = options.batchSize ?? 10_000;
  let total = 0;
  for (;;) {
    const { rowCount } = await pool.query(
      `DELETE FROM event_dedupe WHERE ctid = ANY (ARRAY(SELECT ctid FROM event_dedupe WHERE received_at < $1 LIMIT $2))`,
      [cutoff, batchSize],
    );
    total += rowCount ?? 0;
    if ((rowCount ?? 0) < batchSize) return total;
  }
}

export const dedupeWindowWorker = periodicWorker("dedupe-window", 60 * 60 * 1000, async (log) => {
  const removed = await pruneDedupeWindow();
  if (removed > 0) log(`[dedupe-window] removed ${removed} message ids older than ${DEDUPE_WINDOW_DAYS} days`);
});
