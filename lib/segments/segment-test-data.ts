// Test helpers for the segment read queries: segments, computed traits, memberships and daily stats
// written straight into the (real, throw-away) database, the way the evaluator stores them.
import { randomUUID } from "node:crypto";
import { getPool } from "@/lib/db/pool";

export async function insertSegment(
  workspaceId: string,
  s: { name: string; rule: unknown; key?: string; description?: string; memberCount?: number; evaluatedAt?: Date | null; updatedAt?: Date; lastError?: string | null; updatedById?: string },
): Promise<string> {
  const id = randomUUID();
  await getPool().query(
    `INSERT INTO segments (workspace_id, id, key, name, description, rule, member_count, evaluated_at, updated_at, last_error, updated_by_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [workspaceId, id, s.key ?? `seg_${id.slice(0, 8)}`, s.name, s.description ?? "", JSON.stringify(s.rule), s.memberCount ?? 0, s.evaluatedAt ?? null, s.updatedAt ?? new Date(), s.lastError ?? null, s.updatedById ?? null],
  );
  return id;
}

export async function insertComputedTrait(workspaceId: string, name: string, key: string): Promise<string> {
  const id = randomUUID();
  await getPool().query(`INSERT INTO computed_traits (workspace_id, id, key, name, definition) VALUES ($1, $2, $3, $4, '{}')`, [workspaceId, id, key, name]);
  return id;
}

export async function addMembers(workspaceId: string, segmentId: string, members: { profileId: string; enteredAt: Date }[]): Promise<void> {
  await getPool().query(
    `INSERT INTO segment_memberships (workspace_id, segment_id, profile_id, entered_at)
     SELECT $1, $2, x.p, x.at FROM unnest($3::uuid[], $4::timestamptz[]) AS x(p, at)`,
    [workspaceId, segmentId, members.map((m) => m.profileId), members.map((m) => m.enteredAt.toISOString())],
  );
}

/** A rule that is valid and refers to nothing. */
export const SIMPLE_RULE = { kind: "group", op: "and", negate: false, children: [{ kind: "trait", key: "country", type: "string", op: "equals", value: "DE" }] };
