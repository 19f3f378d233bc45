// One segment for its page and its editor: the stored rule (parsed, so the builder can load it),
// the rule in words with the names of the segments and computed traits it refers to, and which of
// those were deleted since it was saved.
import { getPool } from "@/lib/db/pool";
import { isUuid } from "@/lib/db/uuid";
import { describeSegment } from "@/lib/segments/describe-segment";
import { missingReferences, referencedNames, ruleReferences, type RuleReferences } from "@/lib/segments/rule-references";
import { parseSegmentRule, type RuleGroup, type RuleProblem } from "@/lib/segments/segment-rule";

export interface SegmentDetail {
  id: string;
  key: string;
  name: string;
  description: string;
  /** The rule as stored (the builder starts from it even when it no longer validates). */
  rule: unknown;
  /** The parsed rule, or null with `ruleProblems` when the stored rule does not pass the schema. */
  parsedRule: RuleGroup | null;
  ruleProblems: RuleProblem[];
  /** "People who …" (deleted references read "a deleted segment" / "computed trait (deleted)"). */
  ruleInWords: string;
  version: number;
  memberCount: number;
  evaluatedAt: Date | null;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
  updatedByName: string | null;
  /** Names of the referenced segments and computed traits that still exist, by id. */
  referencedSegments: Record<string, string>;
  referencedComputedTraits: Record<string, string>;
  /** Referenced ids that no longer exist. */
  deletedReferences: RuleReferences;
}

/** The segment, or null when the workspace has no segment with this id. */
export async function getSegment(options: { workspaceId: string; segmentId: string }): Promise<SegmentDetail | null> {
  if (!isUuid(options.segmentId)) return null;
  const pool = getPool();
  const { rows } = await pool.query<{
    id: string;
    key: string;
    name: string;
    description: string;
    rule: unknown;
    version: number;
    member_count: number;
    evaluated_at: Date | null;
    last_error: string | null;
    created_at: Date;
    updated_at: Date;
    updated_by_name: string | null;
  }>(
    `SELECT s.id::text, s.key, s.name, s.description, s.rule, s.version, s.member_count, s.evaluated_at, s.last_error, s.created_at, s.updated_at,
            (SELECT coalesce(nullif(u.name, ''), u.email) FROM users u WHERE u.id = s.updated_by_id) AS updated_by_name
     FROM segments s WHERE s.workspace_id = $1 AND s.id = $2`,
    [options.workspaceId, options.segmentId],
  );
  const row = rows[0];
  if (!row) return null;
  const refs = ruleReferences(row.rule);
  const names = await referencedNames(pool, options.workspaceId, refs);
  const parsed = parseSegmentRule(row.rule);
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    description: row.description,
    rule: row.rule,
    parsedRule: parsed.ok ? parsed.rule : null,
    ruleProblems: parsed.ok ? [] : parsed.problems,
    ruleInWords: parsed.ok ? describeSegment(parsed.rule, names) : "This rule no longer matches the rule format; open the editor to fix it.",
    version: row.version,
    memberCount: row.member_count,
    evaluatedAt: row.evaluated_at,
    lastError: row.last_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    updatedByName: row.updated_by_name,
    referencedSegments: names.segments,
    referencedComputedTraits: names.computedTraits,
    deletedReferences: missingReferences(refs, names),
  };
}
