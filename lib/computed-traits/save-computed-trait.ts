// Creating, changing and deleting computed traits. The key (how the Profile API and destinations
// name the trait) is derived from the name when the trait is created and stays put on renames, so
// integrations reading it keep working. Saving computes the values for every profile right away, in
// the same transaction, under the workspace's pipeline lock (a batch in progress is waited for, and
// none can slip in between the computation and the commit).
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { z } from "zod";
import { getPool } from "@/lib/db/pool";
import { isUuid } from "@/lib/db/uuid";
import { AppError } from "@/lib/errors";
import { traitKeyFromName } from "@/lib/profiles/trait-key";
import { computedTraitDefinitionSchema, type ComputedTraitDefinition } from "@/lib/computed-traits/computed-trait-definition";
import { refreshComputedTrait } from "@/lib/computed-traits/refresh-computed-trait";
import { inWorkspaceLock } from "@/lib/pipeline/workspace-lock";
import { evaluateAllSegments } from "@/lib/segments/evaluate-segments";
import { referencedComputedTraits } from "@/lib/segments/segment-rule";

export const computedTraitNameSchema = z
  .string({ error: "Enter a name." })
  .trim()
  .min(1, "Enter a name.")
  .max(100, "Use at most 100 characters.");

export interface SavedComputedTrait {
  id: string;
  key: string;
  /** Profiles with a value after the computation (null when it failed). */
  valued: number | null;
  /** Why computing the values failed (the trait is saved all the same). */
  error: string | null;
}

/** Field errors keyed by path: "name", "event", "window.days", "where.0.value". */
function addFieldErrors(out: Record<string, string[]>, error: z.ZodError, prefix: string[] = []) {
  for (const issue of error.issues) (out[[...prefix, ...issue.path.map(String)].join(".") || "_"] ??= []).push(issue.message);
}

export async function saveComputedTrait(options: {
  workspaceId: string;
  /** Absent: create. */
  traitId?: string;
  name: unknown;
  definition: unknown;
  userId?: string | null;
  pool?: pg.Pool;
  now?: Date;
}): Promise<SavedComputedTrait> {
  const ws = options.workspaceId;
  const name = computedTraitNameSchema.safeParse(options.name);
  const definition = computedTraitDefinitionSchema.safeParse(options.definition);
  if (!name.success || !definition.success) {
    const fieldErrors: Record<string, string[]> = {};
    if (!name.success) addFieldErrors(fieldErrors, name.error, ["name"]);
    if (!definition.success) addFieldErrors(fieldErrors, definition.error);
    throw new AppError("invalid_input", Object.values(fieldErrors)[0]?.[0] ?? "Check the highlighted fields.", fieldErrors);
  }
  if (options.traitId !== undefined && !isUuid(options.traitId)) throw new AppError("not_found", "This computed trait does not exist (any more).");

  // First the lock, then the trait's row: the pipeline takes them in that order too.
  const { saved, result } = await inWorkspaceLock(options.pool ?? getPool(), ws, async (client) => {
    const saved = options.traitId === undefined
      ? await insertTrait(client, ws, name.data, definition.data, options.userId ?? null)
      : await updateTrait(client, ws, options.traitId, name.data, definition.data);
    let result: SavedComputedTrait = { id: saved.id, key: saved.key, valued: null, error: null };
    if (saved.changed) {
      const r = await refreshComputedTrait({ client, workspaceId: ws, trait: { id: saved.id, definition: definition.data }, now: options.now ?? new Date() });
      result = { ...result, valued: r.ok ? r.valued : null, error: r.ok ? null : r.error };
    }
    return { saved, result };
  });
  // Segments with conditions on this trait follow its new values, and segments defined on those.
  if (saved.changed && options.traitId !== undefined) {
    await evaluateAllSegments({ pool: options.pool, workspaceId: ws, now: options.now, cause: "rule_changed", which: (rule) => referencedComputedTraits(rule).includes(saved.id), dependents: true });
  }
  return result;
}

async function insertTrait(client: pg.PoolClient, ws: string, name: string, definition: ComputedTraitDefinition, userId: string | null) {
  const key = traitKeyFromName(name, "ct");
  if (!key) throw new AppError("invalid_input", "Use letters or digits in the name: the trait's key is made from it.", { name: ["Use letters or digits in the name: the trait's key is made from it."] });
  // Audiences and computed traits share the Profile API's namespace of trait names.
  const { rows: segments } = await client.query(`SELECT name FROM segments WHERE workspace_id = $1 AND key = $2`, [ws, key]);
  if (segments.length > 0) throw conflict(key, `the segment "${segments[0].name}"`);
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO computed_traits (workspace_id, id, key, name, definition, created_by_id) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (workspace_id, key) DO NOTHING RETURNING id`,
    [ws, randomUUID(), key, name, JSON.stringify(definition), userId],
  );
  if (rows.length === 0) {
    const { rows: [other] } = await client.query<{ name: string }>(`SELECT name FROM computed_traits WHERE workspace_id = $1 AND key = $2`, [ws, key]);
    throw conflict(key, `the computed trait "${other?.name ?? key}"`);
  }
  return { id: rows[0].id, key, changed: true };
}

const conflict = (key: string, owner: string) => {
  const message = `The key "${key}" is already used by ${owner}. Choose another name.`;
  return new AppError("conflict", message, { name: [message] });
};

async function updateTrait(client: pg.PoolClient, ws: string, id: string, name: string, definition: ComputedTraitDefinition) {
  const { rows: [current] } = await client.query<{ key: string; definition: unknown }>(`SELECT key, definition FROM computed_traits WHERE workspace_id = $1 AND id = $2 FOR UPDATE`, [ws, id]);
  if (!current) throw new AppError("not_found", "This computed trait does not exist (any more).");
  const { rows: [r] } = await client.query<{ changed: boolean }>(
    `UPDATE computed_traits SET name = $3, definition = $4::jsonb,
       version = version + CASE WHEN definition = $4::jsonb THEN 0 ELSE 1 END, updated_at = now()
     WHERE workspace_id = $1 AND id = $2 RETURNING (definition <> $5::jsonb OR evaluated_at IS NULL OR last_error IS NOT NULL) AS changed`,
    [ws, id, name, JSON.stringify(definition), JSON.stringify(current.definition)],
  );
  return { id, key: current.key, changed: r.changed };
}

/** Deletes a trait and its values; refused while a segment's rule uses it. */
export async function deleteComputedTrait(options: { workspaceId: string; traitId: string; pool?: pg.Pool }): Promise<void> {
  const ws = options.workspaceId;
  if (!isUuid(options.traitId)) throw new AppError("not_found", "This computed trait does not exist (any more).");
  await inWorkspaceLock(options.pool ?? getPool(), ws, async (client) => {
    const { rows: users } = await client.query<{ name: string }>(
      `SELECT name FROM segments WHERE workspace_id = $1 AND jsonb_path_exists(rule, '$.** ? (@.computedTraitId == $id)', jsonb_build_object('id', $2::text))
       ORDER BY lower(name) LIMIT 6`,
      [ws, options.traitId],
    );
    if (users.length > 0) {
      const names = users.slice(0, 5).map((u) => `"${u.name}"`).join(", ");
      throw new AppError("conflict", `Segments use this computed trait: ${names}${users.length > 5 ? " and more" : ""}. Change their rules first.`);
    }
    const { rowCount } = await client.query(`DELETE FROM computed_traits WHERE workspace_id = $1 AND id = $2`, [ws, options.traitId]);
    if (!rowCount) throw new AppError("not_found", "This computed trait does not exist (any more).");
    await client.query(`DELETE FROM computed_trait_values WHERE workspace_id = $1 AND computed_trait_id = $2`, [ws, options.traitId]);
  });
}
