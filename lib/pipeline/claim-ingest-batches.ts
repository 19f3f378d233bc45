// The pipeline's queue is ingest_batches (processed_at null = not yet consumed). A worker takes a
// workspace's transaction-scoped advisory lock, so one workspace's events are resolved by one
// worker at a time (merges need a consistent view of its identity graph), while workers spread
// over workspaces; FOR UPDATE SKIP LOCKED keeps claims exclusive even without the lock.
import type pg from "pg";
import { tryLockWorkspacePipeline } from "@/lib/pipeline/workspace-lock";

export interface ClaimedBatch {
  sourceId: string;
  id: string;
  firstEventId: string;
  lastEventId: string;
  minReceivedAt: Date;
  maxReceivedAt: Date;
  eventCount: number;
}

/** Within an open transaction: claims up to ~maxEvents of one workspace's oldest batches. */
export async function claimIngestBatches(client: pg.PoolClient, maxEvents: number): Promise<{ workspaceId: string; batches: ClaimedBatch[] } | null> {
  const { rows: candidates } = await client.query<{ workspace_id: string }>(
    `SELECT DISTINCT workspace_id FROM (SELECT workspace_id FROM ingest_batches WHERE processed_at IS NULL ORDER BY processed_at, id LIMIT 500) t`,
  );
  for (const { workspace_id: workspaceId } of candidates) {
    if (!(await tryLockWorkspacePipeline(client, workspaceId))) continue;
    const { rows } = await client.query(
      `SELECT source_id, id::text, first_event_id::text, last_event_id::text, min_received_at, max_received_at, event_count
       FROM ingest_batches WHERE processed_at IS NULL AND workspace_id = $1 ORDER BY id LIMIT 200 FOR UPDATE SKIP LOCKED`,
      [workspaceId],
    );
    const batches: ClaimedBatch[] = [];
    let events = 0;
    for (const r of rows) {
      if (batches.length > 0 && events + r.event_count > maxEvents) break;
      batches.push({ sourceId: r.source_id, id: r.id, firstEventId: r.first_event_id, lastEventId: r.last_event_id, minReceivedAt: r.min_received_at, maxReceivedAt: r.max_received_at, eventCount: r.event_count });
      events += r.event_count;
    }
    if (batches.length > 0) return { workspaceId, batches };
  }
  return null;
}
