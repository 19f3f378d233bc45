// Time moves people out of segments too: "in the last 30 days" windows slide at midnight UTC and
// "within the last 7 days" dates slide continuously. The sweep re-evaluates, in full, every segment
// whose rule depends on the clock; enter/exit records get the cause window_expiry. Runs from the
// job registry (hourly) and the cron route; idempotent, so running it twice changes nothing.
import type pg from "pg";
import { sweepComputedTraits } from "@/lib/computed-traits/sweep-computed-traits";
import { getPool } from "@/lib/db/pool";
import { periodicWorker } from "@/lib/jobs/periodic-worker";
import { evaluateAllSegments } from "@/lib/segments/evaluate-segments";
import type { RuleNode } from "@/lib/segments/segment-rule";

/** Whether the rule's answer can change with time alone. */
export function dependsOnClock(node: RuleNode): boolean {
  if (node.kind === "group") return node.children.some(dependsOnClock);
  const relative = (op: string) => op === "within_last_days" || op === "within_next_days";
  if (node.kind === "event") return node.window.type === "last_days" || node.where.some((f) => relative(f.op));
  if (node.kind === "trait") return relative(node.op);
  // Computed traits over windows change with time (their sweep runs first), and a segment of a
  // segment follows it (the referenced segment is swept first: dependency order).
  return node.kind === "computed_trait" || node.kind === "segment";
}

export async function sweepSegments(options: { pool?: pg.Pool; workspaceId?: string; now?: Date; log?: (line: string) => void } = {}) {
  const pool = options.pool ?? getPool();
  const { rows } = await pool.query<{ workspace_id: string }>(
    `SELECT DISTINCT workspace_id FROM segments WHERE $1::uuid IS NULL OR workspace_id = $1::uuid`,
    [options.workspaceId ?? null],
  );
  let segments = 0;
  let entered = 0;
  let exited = 0;
  let failed = 0;
  for (const { workspace_id } of rows) {
    const r = await evaluateAllSegments({ pool, workspaceId: workspace_id, now: options.now, cause: "window_expiry", which: dependsOnClock, log: options.log });
    segments += r.results.length;
    failed += r.failed.length;
    for (const x of r.results) {
      entered += x.entered;
      exited += x.exited;
    }
  }
  if (entered + exited + failed > 0) options.log?.(`[segments] sweep: ${segments} segments, ${entered} entered, ${exited} exited, ${failed} failed`);
  return { workspaces: rows.length, segments, entered, exited, failed };
}

/** Computed traits first (segment conditions read their values), then the segments. */
export async function sweepTimeWindows(options: { pool?: pg.Pool; workspaceId?: string; now?: Date; log?: (line: string) => void } = {}) {
  const traits = await sweepComputedTraits(options);
  for (const f of traits.failed) options.log?.(`[computed-traits] ${f.traitId} (workspace ${f.workspaceId}) failed: ${f.error}`);
  const segments = await sweepSegments(options);
  return { computedTraits: { swept: traits.swept, failed: traits.failed.length, remaining: traits.remaining }, ...segments };
}

/** Every 15 minutes: windows slide at midnight UTC, relative dates continuously. */
export const segmentSweepWorker = periodicWorker("segments-sweep", 15 * 60 * 1000, async (log) => {
  await sweepTimeWindows({ log });
});
