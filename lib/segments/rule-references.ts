// What a stored rule refers to by id (other segments, computed traits) and which of those no longer
// exist: a segment whose rule points at a deleted one cannot be evaluated as written, so lists and
// the segment page flag it. Stored rules are read as plain JSON (not parsed), so even a rule that no
// longer passes today's schema still reports its references.
import type pg from "pg";

export interface RuleReferences {
  segmentIds: string[];
  computedTraitIds: string[];
}

/** Ids referenced anywhere in a rule tree (walks `children` of groups). */
export function ruleReferences(rule: unknown): RuleReferences {
  const segments = new Set<string>();
  const traits = new Set<string>();
  const walk = (node: unknown, depth: number) => {
    // Stored rules are bounded by SEGMENT_LIMITS; the depth guard only protects against bad data.
    if (typeof node !== "object" || node === null || depth > 20) return;
    const n = node as Record<string, unknown>;
    if (n.kind === "segment" && typeof n.segmentId === "string") segments.add(n.segmentId);
    if (n.kind === "computed_trait" && typeof n.computedTraitId === "string") traits.add(n.computedTraitId);
    if (Array.isArray(n.children)) for (const c of n.children) walk(c, depth + 1);
  };
  walk(rule, 0);
  return { segmentIds: [...segments], computedTraitIds: [...traits] };
}

export interface ReferencedNames {
  /** Existing referenced segments by id. */
  segments: Record<string, string>;
  /** Existing referenced computed traits by id. */
  computedTraits: Record<string, string>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Names of the referenced segments and computed traits that still exist in the workspace. */
export async function referencedNames(client: pg.Pool | pg.PoolClient, workspaceId: string, refs: RuleReferences): Promise<ReferencedNames> {
  // Only well-formed ids reach the uuid columns (a malformed one would raise instead of missing).
  const segmentIds = refs.segmentIds.filter((id) => UUID.test(id));
  const traitIds = refs.computedTraitIds.filter((id) => UUID.test(id));
  const [segments, traits] = await Promise.all([
    segmentIds.length === 0 ? { rows: [] } : client.query<{ id: string; name: string }>(`SELECT id::text, name FROM segments WHERE workspace_id = $1 AND id = ANY($2::uuid[])`, [workspaceId, segmentIds]),
    traitIds.length === 0 ? { rows: [] } : client.query<{ id: string; name: string }>(`SELECT id::text, name FROM computed_traits WHERE workspace_id = $1 AND id = ANY($2::uuid[])`, [workspaceId, traitIds]),
  ]);
  return {
    segments: Object.fromEntries(segments.rows.map((r) => [r.id, r.name])),
    computedTraits: Object.fromEntries(traits.rows.map((r) => [r.id, r.name])),
  };
}

/** The referenced ids that are gone. */
export function missingReferences(refs: RuleReferences, names: ReferencedNames): RuleReferences {
  return {
    segmentIds: refs.segmentIds.filter((id) => !(id in names.segments)),
    computedTraitIds: refs.computedTraitIds.filter((id) => !(id in names.computedTraits)),
  };
}
