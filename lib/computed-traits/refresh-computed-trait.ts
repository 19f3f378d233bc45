// A full computation of one trait inside the caller's transaction, under the workspace's pipeline
// lock (the caller takes it first), recorded on the trait: evaluated_at (the clock the windows were
// measured against) on success, last_error on failure. A failure rolls back only this trait's work.
import type pg from "pg";
import { computeComputedTrait, type ComputeResult } from "@/lib/computed-traits/compute-computed-trait";
import type { ComputedTraitDefinition } from "@/lib/computed-traits/computed-trait-definition";

export type RefreshResult = ({ ok: true } & ComputeResult) | { ok: false; error: string };

export async function refreshComputedTrait(options: {
  client: pg.PoolClient;
  workspaceId: string;
  trait: { id: string; definition: ComputedTraitDefinition };
  now: Date;
}): Promise<RefreshResult> {
  const { client, workspaceId: ws, trait } = options;
  await client.query("SAVEPOINT refresh_computed_trait");
  try {
    const result = await computeComputedTrait({ client, workspaceId: ws, trait, now: options.now });
    await client.query(`UPDATE computed_traits SET evaluated_at = $3, last_error = NULL WHERE workspace_id = $1 AND id = $2`, [ws, trait.id, options.now.toISOString()]);
    await client.query("RELEASE SAVEPOINT refresh_computed_trait");
    return { ok: true, ...result };
  } catch (err) {
    await client.query("ROLLBACK TO SAVEPOINT refresh_computed_trait");
    await client.query("RELEASE SAVEPOINT refresh_computed_trait");
    console.error(`[computed-traits] computing trait ${trait.id} failed`, err);
    const error = `Could not compute the values: ${err instanceof Error ? err.message : String(err)}`;
    await client.query(`UPDATE computed_traits SET last_error = $3 WHERE workspace_id = $1 AND id = $2`, [ws, trait.id, error]);
    return { ok: false, error };
  }
}
