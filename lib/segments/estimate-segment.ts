// The builder's live estimate: how many profiles a rule matches right now, out of how many, a
// sample of them, and how many of them are also in another segment. Nothing is stored.
// Small workspaces are counted exactly. In large ones the rule runs on a uniform sample of about
// SAMPLE_TARGET profiles — those whose (random) id sorts below a bound, so every table is read by
// an index range — and the counts are scaled up, with the sampling margin, so the estimate keeps
// pace with typing at a million profiles. The saved segment is always evaluated in full.
import type pg from "pg";
import { getPool } from "@/lib/db/pool";
import { AppError } from "@/lib/errors";
import { compileSegment } from "@/lib/segments/compile-segment";
import type { RuleGroup } from "@/lib/segments/segment-rule";

export interface SegmentEstimate {
  count: number;
  total: number;
  sample: { id: string; displayName: string | null; lastSeenAt: Date }[];
  overlap: { segmentId: string; name: string; segmentSize: number; both: number } | null;
  /** Set when counted on a sample: its size and the 95 % margin of `count`. */
  approximate: { sampled: number; margin: number } | null;
  tookMs: number;
}

/** About this many profiles are counted when sampling. */
const SAMPLE_TARGET = 32_000;
/** Below this many profiles (estimated) everyone is counted. */
const EXACT_UP_TO = 100_000;
const PROBE_BITS = 6;

/** The uuid below which a uniformly random id falls with probability 2^-bits. */
export function idBound(bits: number): string {
  const hex = (1n << BigInt(128 - bits)).toString(16).padStart(32, "0");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** How many bits of sampling (0: count everyone): a cheap count of 1/64 of the ids decides. */
async function samplingBits(client: pg.PoolClient, ws: string): Promise<number> {
  const { rows: [probe] } = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM profiles WHERE workspace_id = $1 AND id < $2::uuid AND merged_into_id IS NULL AND kind = 'user'`,
    [ws, idBound(PROBE_BITS)],
  );
  const total = probe.n * 2 ** PROBE_BITS;
  if (total <= EXACT_UP_TO) return 0;
  return Math.max(1, Math.floor(Math.log2(total / SAMPLE_TARGET)));
}

export async function estimateSegment(options: { workspaceId: string; rule: RuleGroup; overlapSegmentId?: string; sampleSize?: number; now?: Date; exact?: boolean }): Promise<SegmentEstimate> {
  const started = performance.now();
  const ws = options.workspaceId;
  const client = await getPool().connect();
  try {
    await client.query("BEGIN READ ONLY");
    // An estimate is interactive: past 15 s the builder says so instead of waiting.
    await client.query(`SET LOCAL statement_timeout = '15s'; SET LOCAL work_mem = '64MB'`);
    const bits = options.exact ? 0 : await samplingBits(client, ws);
    const idsBelow = bits > 0 ? idBound(bits) : undefined;
    const { sql, params } = compileSegment(options.rule, { workspaceId: ws, now: options.now ?? new Date(), idsBelow });
    const n = params.length;
    const { rows: [r] } = await client.query<{ count: number; total: number; sample: { id: string; display_name: string | null; last_seen_at: string }[] | null; both: number | null }>(
      `WITH m AS MATERIALIZED (${sql})
       SELECT (SELECT count(*) FROM m)::int AS count,
              (SELECT count(*) FROM profiles WHERE workspace_id = $1 AND merged_into_id IS NULL AND kind = 'user' AND ($${n + 3}::uuid IS NULL OR id < $${n + 3}::uuid))::int AS total,
              (SELECT json_agg(x) FROM (SELECT p.id, p.display_name, p.last_seen_at FROM m JOIN profiles p ON p.workspace_id = $1 AND p.id = m.profile_id
                                        ORDER BY p.last_seen_at DESC LIMIT $${n + 1}) x) AS sample,
              CASE WHEN $${n + 2}::uuid IS NULL THEN NULL ELSE
                (SELECT count(*) FROM m JOIN segment_memberships s ON s.workspace_id = $1 AND s.segment_id = $${n + 2}::uuid AND s.profile_id = m.profile_id)::int END AS both`,
      [...params, options.sampleSize ?? 10, options.overlapSegmentId ?? null, idsBelow ?? null],
    );
    let overlap: SegmentEstimate["overlap"] = null;
    const scale = 2 ** bits;
    if (options.overlapSegmentId) {
      const { rows: [other] } = await client.query<{ name: string; member_count: number }>(`SELECT name, member_count FROM segments WHERE workspace_id = $1 AND id = $2`, [ws, options.overlapSegmentId]);
      if (!other) throw new AppError("not_found", "The segment to compare with no longer exists.");
      overlap = { segmentId: options.overlapSegmentId, name: other.name, segmentSize: other.member_count, both: Math.min(other.member_count, Math.round((r.both ?? 0) * scale)) };
    }
    await client.query("COMMIT");
    // The binomial 95 % margin of a share measured on `r.total` sampled profiles, scaled up.
    const p = r.total > 0 ? r.count / r.total : 0;
    const margin = bits > 0 ? Math.round(1.96 * Math.sqrt((p * (1 - p)) / Math.max(r.total, 1)) * r.total * scale) : 0;
    return {
      count: r.count * scale,
      total: r.total * scale,
      sample: (r.sample ?? []).map((s) => ({ id: s.id, displayName: s.display_name, lastSeenAt: new Date(s.last_seen_at) })),
      overlap,
      approximate: bits > 0 ? { sampled: r.total, margin } : null,
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
