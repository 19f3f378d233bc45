// The builder's live estimate: how many profiles a rule matches right now, out of how many, a
// sample of them, and how many of them are also in another segment. One read-only statement over
// the compiled rule; nothing is stored.
import { getPool } from "@/lib/db/pool";
import { AppError } from "@/lib/errors";
import { compileSegment } from "@/lib/segments/compile-segment";
import type { RuleGroup } from "@/lib/segments/segment-rule";

export interface SegmentEstimate {
  count: number;
  total: number;
  sample: { id: string; displayName: string | null; lastSeenAt: Date }[];
  overlap: { segmentId: string; name: string; segmentSize: number; both: number } | null;
  tookMs: number;
}

export async function estimateSegment(options: { workspaceId: string; rule: RuleGroup; overlapSegmentId?: string; sampleSize?: number; now?: Date }): Promise<SegmentEstimate> {
  const started = performance.now();
  const { sql, params } = compileSegment(options.rule, { workspaceId: options.workspaceId, now: options.now ?? new Date() });
  const n = params.length;
  const client = await getPool().connect();
  try {
    await client.query("BEGIN READ ONLY");
    // An estimate is interactive: past 15 s the builder says so instead of waiting.
    await client.query(`SET LOCAL statement_timeout = '15s'; SET LOCAL work_mem = '64MB'`);
    const { rows: [r] } = await client.query<{ count: number; total: number; sample: { id: string; display_name: string | null; last_seen_at: string }[] | null; both: number | null }>(
      `WITH m AS MATERIALIZED (${sql})
       SELECT (SELECT count(*) FROM m)::int AS count,
              (SELECT count(*) FROM profiles WHERE workspace_id = $1 AND merged_into_id IS NULL AND kind = 'user')::int AS total,
              (SELECT json_agg(x) FROM (SELECT p.id, p.display_name, p.last_seen_at FROM m JOIN profiles p ON p.workspace_id = $1 AND p.id = m.profile_id
                                        ORDER BY p.last_seen_at DESC LIMIT $${n + 1}) x) AS sample,
              CASE WHEN $${n + 2}::uuid IS NULL THEN NULL ELSE
                (SELECT count(*) FROM m JOIN segment_memberships s ON s.workspace_id = $1 AND s.segment_id = $${n + 2}::uuid AND s.profile_id = m.profile_id)::int END AS both`,
      [...params, options.sampleSize ?? 10, options.overlapSegmentId ?? null],
    );
    let overlap: SegmentEstimate["overlap"] = null;
    if (options.overlapSegmentId) {
      const { rows: [other] } = await client.query<{ name: string; member_count: number }>(`SELECT name, member_count FROM segments WHERE workspace_id = $1 AND id = $2`, [options.workspaceId, options.overlapSegmentId]);
      if (!other) throw new AppError("not_found", "The segment to compare with no longer exists.");
      overlap = { segmentId: options.overlapSegmentId, name: other.name, segmentSize: other.member_count, both: r.both ?? 0 };
    }
    await client.query("COMMIT");
    return {
      count: r.count,
      total: r.total,
      sample: (r.sample ?? []).map((s) => ({ id: s.id, displayName: s.display_name, lastSeenAt: new Date(s.last_seen_at) })),
      overlap,
      tookMs: performance.now() - started,
    };
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    if (err instanceof Error && "code" in err && err.code === "57014") throw new AppError("unavailable", "This rule takes too long to estimate. Narrow it down (e.g. a shorter time window) and try again.");
    throw err;
  } finally {
    client.release();
  }
}
