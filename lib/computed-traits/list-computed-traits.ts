// The computed traits list: one page of a workspace's traits with their definition in words, how
// many profiles have a value, when they were last computed in full and their last error. Sorted,
// filtered and paged in SQL; profile counts only for the rows of the page (an index-only range
// scan each), so the list stays fast whatever the number of profiles.
import { getPool } from "@/lib/db/pool";
import { readStoredDefinition, type ComputedTraitDefinition } from "@/lib/computed-traits/computed-trait-definition";

export const COMPUTED_TRAIT_SORTS = ["name", "key", "evaluated", "updated"] as const;
export type ComputedTraitSort = (typeof COMPUTED_TRAIT_SORTS)[number];
export const COMPUTED_TRAITS_PAGE_SIZE = 50;

export interface ComputedTraitListItem {
  id: string;
  key: string;
  name: string;
  /** null when the stored definition no longer parses. */
  definition: ComputedTraitDefinition | null;
  description: string;
  profiles: number;
  evaluatedAt: Date | null;
  updatedAt: Date;
  lastError: string | null;
}

export interface ComputedTraitList {
  rows: ComputedTraitListItem[];
  total: number;
  page: number;
  pageSize: number;
  hasMore: boolean;
  query: string;
  sort: ComputedTraitSort;
  direction: "asc" | "desc";
}

const ORDER: Record<ComputedTraitSort, string> = {
  name: "lower(name)",
  key: "key",
  evaluated: "coalesce(evaluated_at, '-infinity')",
  updated: "updated_at",
};

/** The list's state from URL search params; defaults for anything unknown. */
export function parseComputedTraitListParams(params: Record<string, string | string[] | undefined>) {
  const one = (key: string) => {
    const v = params[key];
    return (Array.isArray(v) ? v[0] : v) ?? "";
  };
  const sort = (COMPUTED_TRAIT_SORTS as readonly string[]).includes(one("sort")) ? (one("sort") as ComputedTraitSort) : "name";
  const direction: "asc" | "desc" = one("dir") === "desc" ? "desc" : one("dir") === "asc" ? "asc" : sort === "name" || sort === "key" ? "asc" : "desc";
  return { query: one("q").trim().slice(0, 200), sort, direction, page: Math.max(1, Math.floor(Number(one("page"))) || 1) };
}

const likeContains = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function listComputedTraits(options: {
  workspaceId: string;
  query?: string;
  sort?: ComputedTraitSort;
  direction?: "asc" | "desc";
  page?: number;
  pageSize?: number;
}): Promise<ComputedTraitList> {
  const sort: ComputedTraitSort = options.sort && ORDER[options.sort] ? options.sort : "name";
  const direction = options.direction === "desc" ? "desc" : "asc";
  const pageSize = Math.min(200, Math.max(1, Math.floor(options.pageSize ?? COMPUTED_TRAITS_PAGE_SIZE)));
  const page = Math.max(1, Math.floor(options.page ?? 1));
  const query = (options.query ?? "").trim().slice(0, 200);
  const { rows } = await getPool().query<{ id: string; key: string; name: string; definition: unknown; profiles: number; evaluated_at: Date | null; updated_at: Date; last_error: string | null; total: number }>(
    `WITH page AS (
       SELECT id, key, name, definition, evaluated_at, updated_at, last_error, count(*) OVER ()::int AS total
       FROM computed_traits
       WHERE workspace_id = $1 AND ($2 = '' OR name ILIKE $3 OR key ILIKE $3)
       ORDER BY ${ORDER[sort]} ${direction === "asc" ? "ASC" : "DESC"}, id
       LIMIT $4 OFFSET $5)
     SELECT page.*, (SELECT count(*) FROM computed_trait_values v WHERE v.workspace_id = $1 AND v.computed_trait_id = page.id)::int AS profiles
     FROM page ORDER BY ${ORDER[sort]} ${direction === "asc" ? "ASC" : "DESC"}, id`,
    [options.workspaceId, query, likeContains(query), pageSize, (page - 1) * pageSize],
  );
  const total = rows[0]?.total ?? 0;
  return {
    rows: rows.map((r) => {
      const { definition, description } = readStoredDefinition(r.definition);
      return {
        id: r.id,
        key: r.key,
        name: r.name,
        definition,
        description,
        profiles: r.profiles,
        evaluatedAt: r.evaluated_at,
        updatedAt: r.updated_at,
        lastError: r.last_error,
      };
    }),
    total,
    page,
    pageSize,
    hasMore: (page - 1) * pageSize + rows.length < total,
    query,
    sort,
    direction,
  };
}
