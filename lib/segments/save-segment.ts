// Creating, changing and deleting segments. A rule is saved only when it is valid, refers to
// segments and computed traits that exist, and does not (through other segments) include itself.
// Saving evaluates the segment at once, so its members are there when the page opens.
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { z } from "zod";
import { getPool } from "@/lib/db/pool";
import { AppError } from "@/lib/errors";
import { traitKeyFromName } from "@/lib/profiles/trait-key";
import { inWorkspaceLock } from "@/lib/pipeline/workspace-lock";
import { evaluateAllSegments, evaluateSegmentIn } from "@/lib/segments/evaluate-segments";
import { parseSegmentRule, referencedComputedTraits, referencedSegments, type RuleGroup } from "@/lib/segments/segment-rule";

const nameSchema = z.string().trim().min(1, "Enter a name.").max(120, "Use at most 120 characters.");
const descriptionSchema = z.string().trim().max(1000, "Use at most 1,000 characters.");

export interface SegmentInput {
  workspaceId: string;
  userId: string | null;
  name: string;
  description?: string;
  rule: unknown;
}

/** Validation of everything but the references; field errors keyed like the form (`rule.children.0.value`). */
function validate(input: SegmentInput): { name: string; description: string; rule: RuleGroup } {
  const fieldErrors: Record<string, string[]> = {};
  const name = nameSchema.safeParse(input.name);
  if (!name.success) fieldErrors.name = name.error.issues.map((i) => i.message);
  const description = descriptionSchema.safeParse(input.description ?? "");
  if (!description.success) fieldErrors.description = description.error.issues.map((i) => i.message);
  const rule = parseSegmentRule(input.rule);
  if (!rule.ok) for (const p of rule.problems) (fieldErrors[["rule", ...p.path].join(".")] ??= []).push(p.message);
  if (!name.success || !description.success || !rule.ok) {
    const first = Object.entries(fieldErrors)[0];
    throw new AppError("invalid_input", first ? first[1][0] : "Check the segment.", fieldErrors);
  }
  return { name: name.data, description: description.data, rule: rule.rule };
}

/** Refuses references to segments or computed traits that do not exist, and cycles. */
async function checkReferences(client: pg.PoolClient, ws: string, segmentId: string, rule: RuleGroup) {
  const traits = referencedComputedTraits(rule);
  if (traits.length > 0) {
    const { rows } = await client.query<{ id: string }>(`SELECT id FROM computed_traits WHERE workspace_id = $1 AND id = ANY($2::uuid[])`, [ws, traits]);
    if (rows.length < traits.length) throw new AppError("invalid_input", "The rule uses a computed trait that no longer exists. Pick another one.");
  }
  const refs = referencedSegments(rule);
  if (refs.length === 0) return;
  const { rows } = await client.query<{ id: string; name: string; rule: unknown }>(`SELECT id, name, rule FROM segments WHERE workspace_id = $1`, [ws]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const missing = refs.filter((r) => !byId.has(r) && r !== segmentId);
  if (refs.includes(segmentId)) throw new AppError("invalid_input", "A segment cannot include itself.");
  if (missing.length > 0) throw new AppError("invalid_input", "The rule uses a segment that no longer exists. Pick another one.");
  // Depth-first through the segments this one refers to: reaching it again is a cycle.
  const path: string[] = [];
  const seen = new Set<string>();
  const visit = (id: string): string[] | null => {
    if (id === segmentId) return path;
    if (seen.has(id)) return null;
    seen.add(id);
    const row = byId.get(id);
    const parsed = row ? parseSegmentRule(row.rule) : null;
    if (!row || !parsed?.ok) return null;
    path.push(row.name);
    for (const next of referencedSegments(parsed.rule)) {
      const found = visit(next);
      if (found) return found;
    }
    path.pop();
    return null;
  };
  for (const ref of refs) {
    const cycle = visit(ref);
    if (cycle) throw new AppError("invalid_input", `This would make a cycle: the segment would include itself through ${cycle.map((n) => `"${n}"`).join(" → ")}.`);
  }
}

async function freeKey(client: pg.PoolClient, ws: string, name: string, exceptId: string): Promise<string> {
  const base = traitKeyFromName(name, "segment") || "segment";
  const { rows } = await client.query<{ key: string; name: string }>(`SELECT key, name FROM segments WHERE workspace_id = $1 AND id <> $2 AND (key LIKE $3 OR lower(name) = lower($4))`, [ws, exceptId, `${base}%`, name]);
  if (rows.some((r) => r.name.toLowerCase() === name.toLowerCase())) throw new AppError("invalid_input", `A segment named "${name}" already exists.`, { name: [`A segment named "${name}" already exists.`] });
  // Computed traits and audiences share the Profile API's trait namespace: keys never collide.
  const { rows: traits } = await client.query<{ key: string }>(`SELECT key FROM computed_traits WHERE workspace_id = $1 AND key LIKE $2`, [ws, `${base}%`]);
  const taken = new Set([...rows, ...traits].map((r) => r.key));
  let key = base;
  for (let n = 2; taken.has(key); n += 1) key = `${base}_${n}`;
  return key;
}

export async function createSegment(input: SegmentInput): Promise<{ id: string; key: string }> {
  const { name, description, rule } = validate(input);
  const ws = input.workspaceId;
  const id = randomUUID();
  return inWorkspaceLock(getPool(), ws, async (client) => {
    await checkReferences(client, ws, id, rule);
    const key = await freeKey(client, ws, name, id);
    await client.query(
      `INSERT INTO segments (workspace_id, id, key, name, description, rule, created_by_id, updated_by_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`,
      [ws, id, key, name, description, JSON.stringify(rule), input.userId],
    );
    await evaluateSegmentIn(client, { workspaceId: ws, segmentId: id, cause: "evaluation" });
    return { id, key };
  });
}

export async function updateSegment(input: SegmentInput & { segmentId: string; version: number }): Promise<{ id: string; key: string; version: number }> {
  const { name, description, rule } = validate(input);
  const ws = input.workspaceId;
  let ruleChanged = false;
  const saved = await inWorkspaceLock(getPool(), ws, async (client) => {
    const { rows: [current] } = await client.query<{ key: string; version: number; rule: unknown }>(`SELECT key, version, rule FROM segments WHERE workspace_id = $1 AND id = $2 FOR UPDATE`, [ws, input.segmentId]);
    if (!current) throw new AppError("not_found", "This segment no longer exists.");
    if (current.version !== input.version) throw new AppError("conflict", "Someone changed this segment while you were editing it. Reload to see their version.");
    await checkReferences(client, ws, input.segmentId, rule);
    await freeKey(client, ws, name, input.segmentId);
    ruleChanged = JSON.stringify(current.rule) !== JSON.stringify(rule);
    const { rows: [saved] } = await client.query<{ version: number }>(
      `UPDATE segments SET name = $3, description = $4, rule = $5, version = version + $6, updated_by_id = $7, updated_at = now() WHERE workspace_id = $1 AND id = $2 RETURNING version`,
      [ws, input.segmentId, name, description, JSON.stringify(rule), ruleChanged ? 1 : 0, input.userId],
    );
    if (ruleChanged) await evaluateSegmentIn(client, { workspaceId: ws, segmentId: input.segmentId, cause: "rule_changed" });
    // The key (the trait destinations and the Profile API know) stays stable across renames.
    return { id: input.segmentId, key: current.key, version: saved.version };
  });
  if (ruleChanged) await evaluateDependents(ws, input.segmentId);
  return saved;
}

/** Segments defined on this one ("in segment X") follow its new members, in their own transactions. */
async function evaluateDependents(ws: string, segmentId: string) {
  await evaluateAllSegments({ workspaceId: ws, cause: "rule_changed", which: () => false, dependents: true, changed: [segmentId] });
}

/**
 * Deletes a segment; every member exits (cause segment_deleted: the feed activation reads), and
 * segments defined on it follow. Rules that used it are flagged where they are shown.
 */
export async function deleteSegment(input: { workspaceId: string; segmentId: string }): Promise<void> {
  const ws = input.workspaceId;
  await inWorkspaceLock(getPool(), ws, async (client) => {
    const { rowCount } = await client.query(`DELETE FROM segments WHERE workspace_id = $1 AND id = $2`, [ws, input.segmentId]);
    if (!rowCount) throw new AppError("not_found", "This segment no longer exists.");
    await client.query(
      `WITH gone AS (DELETE FROM segment_memberships WHERE workspace_id = $1 AND segment_id = $2 RETURNING profile_id)
       INSERT INTO segment_membership_changes (workspace_id, segment_id, profile_id, kind, cause, at)
       SELECT $1, $2, profile_id, 'exit', 'segment_deleted', now() FROM gone`,
      [ws, input.segmentId],
    );
    await client.query(`DELETE FROM segment_daily_stats WHERE workspace_id = $1 AND segment_id = $2`, [ws, input.segmentId]);
  });
  await evaluateDependents(ws, input.segmentId);
}
