// A segment's size over time and how many entered and left each UTC day, from segment_daily_stats
// (one row per day with changes). Days without a row had no changes: their size is the previous
// day's, carried forward. Days before the first row (the segment did not exist, or had no stats
// yet) have no size.
import { getPool } from "@/lib/db/pool";
import { DAY_MS } from "@/lib/segments/segment-values";

export const HISTORY_DAYS = 90;

export interface SegmentHistoryDay {
  /** YYYY-MM-DD (UTC). */
  day: string;
  /** Members at the end of the day; null before anything is known. */
  size: number | null;
  entered: number;
  exited: number;
}

export interface SegmentHistoryOptions {
  workspaceId: string;
  segmentId: string;
  days?: number;
  now?: Date;
  /**
   * The segment's member count now: today's size (stats are written as changes happen, so a
   * segment evaluated today may have no row for today yet, while its member_count is current).
   */
  currentSize?: number;
}

const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);

export async function segmentHistory(options: SegmentHistoryOptions): Promise<SegmentHistoryDay[]> {
  const days = Math.min(366, Math.max(1, Math.floor(options.days ?? HISTORY_DAYS)));
  const today = Math.floor((options.now ?? new Date()).getTime() / DAY_MS) * DAY_MS;
  const first = today - (days - 1) * DAY_MS;
  const { rows } = await getPool().query<{ day: string; entered: number; exited: number; size: number }>(
    // The last row before the window gives the size the window starts with.
    `(SELECT to_char(day, 'YYYY-MM-DD') AS day, entered, exited, size FROM segment_daily_stats
      WHERE workspace_id = $1 AND segment_id = $2 AND day < $3::date ORDER BY day DESC LIMIT 1)
     UNION ALL
     (SELECT to_char(day, 'YYYY-MM-DD'), entered, exited, size FROM segment_daily_stats
      WHERE workspace_id = $1 AND segment_id = $2 AND day >= $3::date AND day <= $4::date ORDER BY day)`,
    [options.workspaceId, options.segmentId, isoDay(first), isoDay(today)],
  );
  const byDay = new Map(rows.map((r) => [r.day, r]));
  const before = rows.find((r) => r.day < isoDay(first));
  let size: number | null = before?.size ?? null;
  const out: SegmentHistoryDay[] = [];
  for (let t = first; t <= today; t += DAY_MS) {
    const day = isoDay(t);
    const row = byDay.get(day);
    if (row) size = row.size;
    out.push({ day, size, entered: row?.entered ?? 0, exited: row?.exited ?? 0 });
  }
  if (options.currentSize !== undefined) out[out.length - 1].size = options.currentSize;
  return out;
}
