// The scheduled sweep: values of "in the last N days" traits change by themselves at midnight UTC,
// when a day's events leave the window; the pipeline only sees new events. So once a day (any
// call after midnight UTC finds the traits not yet computed for the new day) each windowed trait is
// recomputed for all profiles, each in its own transaction under its workspace's pipeline lock.
// Idempotent and resumable; one broken trait never stops the others: its error is recorded on it.
import type pg from "pg";
import { getPool } from "@/lib/db/pool";
import { parseComputedTraitDefinition } from "@/lib/computed-traits/computed-trait-definition";
import { refreshComputedTrait } from "@/lib/computed-traits/refresh-computed-trait";
import { inWorkspaceLock } from "@/lib/pipeline/workspace-lock";
import { DAY_MS } from "@/lib/segments/segment-values";

export interface SweepResult {
  /** Traits recomputed. */
  swept: number;
  failed: { workspaceId: string; traitId: string; error: string }[];
  /** Due traits left for the next call (over maxTraits). */
  remaining: number;
}

export async function sweepComputedTraits(options: { pool?: pg.Pool; workspaceId?: string; now?: Date; maxTraits?: number } = {}): Promise<SweepResult> {
  const pool = options.pool ?? getPool();
  const now = options.now ?? new Date();
  const today = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);
  const max = options.maxTraits ?? 500;
  // Due: computed against a clock before today's midnight (or never). Failing ones go last, so
  // they cannot crowd out the others when there are more than maxTraits.
  const { rows } = await pool.query<{ workspace_id: string; id: string; definition: unknown }>(
    `SELECT workspace_id, id, definition FROM computed_traits
     WHERE definition->'window'->>'type' = 'last_days' AND (evaluated_at IS NULL OR evaluated_at < $1)
       AND ($2::uuid IS NULL OR workspace_id = $2)
     ORDER BY last_error IS NOT NULL, evaluated_at NULLS FIRST, workspace_id, id LIMIT $3`,
    [today.toISOString(), options.workspaceId ?? null, max + 1],
  );
  const result: SweepResult = { swept: 0, failed: [], remaining: Math.max(0, rows.length - max) };
  for (const row of rows.slice(0, max)) {
    const definition = parseComputedTraitDefinition(row.definition);
    try {
      const r = await inWorkspaceLock(pool, row.workspace_id, (client) =>
        definition ? refreshComputedTrait({ client, workspaceId: row.workspace_id, trait: { id: row.id, definition }, now }) : invalidDefinition(client, row.workspace_id, row.id));
      if (r.ok) result.swept += 1;
      else result.failed.push({ workspaceId: row.workspace_id, traitId: row.id, error: r.error });
    } catch (err) {
      // The connection or the lock failed, not the trait: report it and go on with the others.
      result.failed.push({ workspaceId: row.workspace_id, traitId: row.id, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return result;
}

async function invalidDefinition(client: pg.PoolClient, ws: string, id: string) {
  const error = "The definition is not valid any more: open the trait and save it again.";
  await client.query(`UPDATE computed_traits SET last_error = $3 WHERE workspace_id = $1 AND id = $2`, [ws, id, error]);
  return { ok: false as const, error };
}
