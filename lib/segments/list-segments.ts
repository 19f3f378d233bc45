// The segments list: one page of a workspace's segments with their size, when they were last
// evaluated and changed, their last evaluation error, and whether their rule points at a segment or
// computed trait that was deleted since (such a segment cannot be evaluated as written).
import { getPool } from "@/lib/db/pool";
import { missingReferences, referencedNames, ruleReferences } from "@/lib/segments/rule-references";

export const SEGMENT_LIST_SORTS = ["name", "size", "evaluated", "updated"] as const;
export type SegmentListSort = (typeof SEGMENT_LIST_SORTS)[number];
export const SEGMENT_LIST_PAGE_SIZE = 50;

export interface SegmentListItem {
  id: string;
  key: string;
  name: string;
  description: string;
  memberCount: number;
  evaluatedAt: Date | null;
  updatedAt: Date;
  lastError: string | null;
  /** The rule refers to a segment or computed trait that no longer exists. */
  brokenReference: boolean;
}

export interface SegmentListOptions {
  workspaceId: string;
  /** Case-insensitive part of the name or key. */
  query?: string;
  sort?: SegmentListSort;
  direction?: "asc" | "desc";
  /** 1-based. */
  page?: number;
  pageSize?: number;
}

export interface SegmentList {
  rows: SegmentListItem[];
  /** Segments matching the query (all pages). */
  total: number;
  page: number;
  pageSize: number;
  hasMore: boolean;
  query: string;
  sort: SegmentListSort;
  direction: "asc" | "desc";
}

const ORDER: Record<SegmentListSort, string> = {
  name: "lower(name)",
  size: "member_count",
  // Never-evaluated segments sort as the oldest.
  evaluated: "coalesce(evaluated_at, '-infinity')",
  updated: "updated_at",
};

/** The list's state from URL search params, defaults for anything unknown. */
export function parseSegmentListParams(params: Record<string, string | string[] | undefined>) {
  const one = (key: string) => {
    const v = params[key];
    return (Array.isArray(v) ? v[0] : v) ?? "";
  };
  const sort = (SEGMENT_LIST_SORTS as readonly string[]).includes(one("sort")) ? (one("sort") as SegmentListSort) : "name";
  const direction: "asc" | "desc" = one("dir") === "desc" ? "desc" : one("dir") === "asc" ? "asc" : sort === "name" ? "asc" : "desc";
  return { query: one("q").trim().slice(0, 200), sort, direction, page: Math.max(1, Math.floor(Number(one("page"))) || 1) };
}

const likeContains = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function listSegments(options: SegmentListOptions): Promise<SegmentList> {
  const pool = getPool();
  const sort: SegmentListSort = options.sort && ORDER[options.sort] ? options.sort : "name";
  const direction = options.direction === "desc" ? "desc" : options.direction === "asc" ? "asc" : sort === "name" ? "asc" : "desc";
  const pageSize = Math.min(200, Math.max(1, Math.floor(options.pageSize ?? SEGMENT_LIST_PAGE_SIZE)));
  const page = Math.max(1, Math.floor(options.page ?? 1));
  const query = (options.query ?? "").trim().slice(0, 200);
  const dir = direction === "asc" ? "ASC" : "DESC";
  const { rows } = await pool.query<{
    id: string;
    key: string;
    name: string;
    description: string;
    member_count: number;
    evaluated_at: Date | null;
    updated_at: Date;
    last_error: string | null;
    rule: unknown;
    total: number;
  }>(
    `SELECT id::text, key, name, description, member_count, evaluated_at, updated_at, last_error, rule, count(*) OVER ()::int AS total
     FROM segments
     WHERE workspace_id = $1 AND ($2 = '' OR name ILIKE $3 OR key ILIKE $3)
     ORDER BY ${ORDER[sort]} ${dir}, lower(name), id
     LIMIT $4 OFFSET $5`,
    [options.workspaceId, query, likeContains(query), pageSize, (page - 1) * pageSize],
  );
  const perRow = rows.map((r) => ruleReferences(r.rule));
  const all = { segmentIds: [...new Set(perRow.flatMap((r) => r.segmentIds))], computedTraitIds: [...new Set(perRow.flatMap((r) => r.computedTraitIds))] };
  const names = await referencedNames(pool, options.workspaceId, all);
  const total = rows[0]?.total ?? 0;
  return {
    rows: rows.map((r, i) => {
      const missing = missingReferences(perRow[i], names);
      return {
        id: r.id,
        key: r.key,
        name: r.name,
        description: r.description,
        memberCount: r.member_count,
        evaluatedAt: r.evaluated_at,
        updatedAt: r.updated_at,
        lastError: r.last_error,
        brokenReference: missing.segmentIds.length + missing.computedTraitIds.length > 0,
      };
    }),
    total,
    page,
    pageSize,
    hasMore: page * pageSize < total,
    query,
    sort,
    direction,
  };
}
