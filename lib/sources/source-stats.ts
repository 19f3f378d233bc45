import { getPool } from "@/lib/db/pool";

export interface SourceStats {
  /** One point per minute of the last 24 hours that had traffic (ISO minute, counts). */
  perMinute: { minute: string; accepted: number; rejected: number }[];
  byType: { type: string; accepted: number; rejected: number }[];
  totals: { accepted: number; rejected: number };
  lastEventAt: Date | null;
  /** The current minute (ISO), where the 24-hour window ends. */
  endMinute: string;
}

export async function sourceStats(options: { workspaceId: string; sourceId: string }): Promise<SourceStats> {
  const pool = getPool();
  const args = [options.workspaceId, options.sourceId];
  const [minutes, types, last] = await Promise.all([
    pool.query(
      `SELECT minute, sum(accepted)::int AS accepted, sum(rejected)::int AS rejected FROM source_minute_stats
       WHERE workspace_id = $1 AND source_id = $2 AND minute > now() - interval '24 hours' GROUP BY minute ORDER BY minute`,
      args,
    ),
    pool.query(
      `SELECT type, sum(accepted)::int AS accepted, sum(rejected)::int AS rejected FROM source_minute_stats
       WHERE workspace_id = $1 AND source_id = $2 AND minute > now() - interval '24 hours' GROUP BY type ORDER BY sum(accepted) DESC`,
      args,
    ),
    pool.query(`SELECT max(created_at) AS at FROM ingest_batches WHERE workspace_id = $1 AND source_id = $2`, args),
  ]);
  const byType = types.rows as SourceStats["byType"];
  return {
    perMinute: minutes.rows.map((r) => ({ minute: (r.minute as Date).toISOString(), accepted: r.accepted, rejected: r.rejected })),
    byType,
    totals: byType.reduce((t, r) => ({ accepted: t.accepted + r.accepted, rejected: t.rejected + r.rejected }), { accepted: 0, rejected: 0 }),
    lastEventAt: last.rows[0]?.at ?? null,
    endMinute: new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString(),
  };
}
