import type pg from "pg";
import type { ClaimedBatch } from "@/lib/pipeline/claim-ingest-batches";

export interface PipelineEvent {
  id: string;
  sourceId: string;
  messageId: string;
  type: string;
  event: string | null;
  userId: string | null;
  anonymousId: string | null;
  timestamp: Date;
  receivedAt: Date;
  /** The parts of the stored message resolution needs (not properties: they can be large). */
  raw: { context?: unknown; traits?: unknown; groupId?: unknown; previousId?: unknown };
}

/** The events of the claimed batches, in the order they happened (a batch stores its rows in key order). */
export async function loadBatchEvents(client: pg.PoolClient, workspaceId: string, batches: ClaimedBatch[]): Promise<PipelineEvent[]> {
  const { rows } = await client.query(
    `SELECT e.id::text, e.source_id, e.message_id, e.type, e.event, e.user_id, e.anonymous_id, e.timestamp, e.received_at,
            e.raw->'context' AS context, e.raw->'traits' AS traits, e.raw->'groupId' AS group_id, e.raw->'previousId' AS previous_id
     FROM unnest($2::uuid[], $3::bigint[], $4::bigint[], $5::bigint[], $6::timestamptz[], $7::timestamptz[]) AS b(source_id, id, first_id, last_id, rmin, rmax)
     -- A range scan of the primary key per batch (OFFSET 0 keeps the subquery a parameterized scan:
     -- with statistics older than a bulk load the planner chose a full scan of events).
     CROSS JOIN LATERAL (SELECT * FROM events e WHERE e.workspace_id = $1 AND e.id BETWEEN b.first_id AND b.last_id AND e.received_at BETWEEN b.rmin AND b.rmax
       AND e.batch_id = b.id AND e.source_id = b.source_id OFFSET 0) e
     ORDER BY e.timestamp, e.id`,
    [
      workspaceId,
      batches.map((b) => b.sourceId),
      batches.map((b) => b.id),
      batches.map((b) => b.firstEventId),
      batches.map((b) => b.lastEventId),
      batches.map((b) => b.minReceivedAt),
      batches.map((b) => b.maxReceivedAt),
    ],
  );
  return rows.map((r) => ({
    id: r.id,
    sourceId: r.source_id,
    messageId: r.message_id,
    type: r.type,
    event: r.event,
    userId: r.user_id,
    anonymousId: r.anonymous_id,
    timestamp: r.timestamp,
    receivedAt: r.received_at,
    raw: { context: r.context ?? undefined, traits: r.traits ?? undefined, groupId: r.group_id ?? undefined, previousId: r.previous_id ?? undefined },
  }));
}
