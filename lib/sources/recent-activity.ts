// The live debugger's feed: the newest events of a source (found through its ingest batches, so
// a quiet source in a busy workspace costs no scan) and its newest rejected messages.
import { getPool } from "@/lib/db/pool";

export interface ActivityItem {
  kind: "event" | "rejected";
  id: string;
  receivedAt: string;
  type: string | null;
  event: string | null;
  userId: string | null;
  anonymousId: string | null;
  messageId: string | null;
  reason: string | null;
  field: string | null;
  /** The stored message (events) or what the client sent (rejections). */
  payload: unknown;
}

export async function recentActivity(options: { workspaceId: string; sourceId: string; limit?: number }): Promise<ActivityItem[]> {
  const limit = Math.min(options.limit ?? 50, 200);
  const pool = getPool();
  const args = [options.workspaceId, options.sourceId, limit];
  const [events, rejections] = await Promise.all([
    pool.query(
      `SELECT e.id::text, e.received_at, e.type, e.event, e.user_id, e.anonymous_id, e.message_id, e.raw
       FROM (SELECT id, first_event_id, last_event_id, min_received_at, max_received_at FROM ingest_batches WHERE workspace_id = $1 AND source_id = $2 ORDER BY id DESC LIMIT $3) b
       CROSS JOIN LATERAL (
         SELECT * FROM events e
         WHERE e.workspace_id = $1 AND e.id BETWEEN b.first_event_id AND b.last_event_id AND e.received_at BETWEEN b.min_received_at AND b.max_received_at
           AND e.batch_id = b.id AND e.source_id = $2
         ORDER BY e.id DESC LIMIT $3
       ) e
       ORDER BY e.id DESC LIMIT $3`,
      args,
    ),
    pool.query(
      `SELECT id::text, received_at, field, reason, payload FROM ingest_rejections WHERE workspace_id = $1 AND source_id = $2 ORDER BY id DESC LIMIT $3`,
      args,
    ),
  ]);
  const items: ActivityItem[] = [
    ...events.rows.map((r) => ({
      kind: "event" as const,
      id: `e${r.id}`,
      receivedAt: (r.received_at as Date).toISOString(),
      type: r.type,
      event: r.event,
      userId: r.user_id,
      anonymousId: r.anonymous_id,
      messageId: r.message_id,
      reason: null,
      field: null,
      payload: r.raw,
    })),
    ...rejections.rows.map((r) => {
      let payload: unknown = r.payload;
      try {
        payload = JSON.parse(r.payload);
      } catch {
        // kept as text: it may be truncated or not JSON at all
      }
      return {
        kind: "rejected" as const,
        id: `r${r.id}`,
        receivedAt: (r.received_at as Date).toISOString(),
        type: null,
        event: null,
        userId: null,
        anonymousId: null,
        messageId: null,
        reason: r.reason,
        field: r.field,
        payload,
      };
    }),
  ];
  return items.sort((a, b) => b.receivedAt.localeCompare(a.receivedAt)).slice(0, limit);
}
