// Per segment and UTC day: entered, exited and the size at the end of the day (the segment page's
// history chart). Written with every membership change, in the same transaction.
import type pg from "pg";

export async function recordDailyStats(client: pg.PoolClient, ws: string, changes: { segmentId: string; entered: number; exited: number }[], now: Date) {
  if (changes.length === 0) return;
  await client.query(
    `INSERT INTO segment_daily_stats AS d (workspace_id, segment_id, day, entered, exited, size)
     SELECT $1, x.segment, ($5::timestamptz AT TIME ZONE 'UTC')::date, x.entered, x.exited, s.member_count
     FROM unnest($2::uuid[], $3::int[], $4::int[]) AS x(segment, entered, exited)
     JOIN segments s ON s.workspace_id = $1 AND s.id = x.segment
     ORDER BY x.segment
     ON CONFLICT (workspace_id, segment_id, day) DO UPDATE
       SET entered = d.entered + EXCLUDED.entered, exited = d.exited + EXCLUDED.exited, size = EXCLUDED.size`,
    [ws, changes.map((c) => c.segmentId), changes.map((c) => c.entered), changes.map((c) => c.exited), now.toISOString()],
  );
}
