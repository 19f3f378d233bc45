// Computes one computed trait, set-based, in one statement: for every live profile of the workspace
// (a full computation) or for given profiles (the pipeline's incremental update), then writes
// computed_trait_values (INSERT … ON CONFLICT, rows touched only when the value changed) and
// deletes the values of profiles in scope that no longer have one. Both paths run the same SQL, so
// an incremental update always equals a full recomputation for those profiles.
//
// What the functions mean:
// - count: the matching events (no value without any). Without property filters and with a
//   day-aligned window it reads the daily counts (profile_event_days) instead of the events.
// - sum / avg / min / max: over the matching events whose property is a number (JSON numbers and
//   numeric strings, as doubles); no value when none is.
// - first / last: the property's value (any JSON) on the earliest / latest matching event that has
//   it (ties by event id); most_frequent: the most common value, ties going to the most recent.
// - Windows: "the last N days" start at midnight UTC N - 1 days before `now` (windowStart, like
//   segments); "between" includes the whole end day when it is a date.
import type pg from "pg";
import { compareSql, numberSql, presentSql } from "@/lib/segments/compile-comparison";
import type { ComputedTraitDefinition } from "@/lib/computed-traits/computed-trait-definition";
import { windowStart } from "@/lib/segments/evaluate-segment";
import { asTime, DAY_MS, upperTime } from "@/lib/segments/segment-values";

export interface ComputeResult {
  /** Profiles in scope that have a value now. */
  valued: number;
  /** Rows inserted or changed. */
  written: number;
  /** Rows removed (profiles in scope without a value now). */
  removed: number;
}

type Queryable = Pick<pg.Pool | pg.PoolClient, "query">;

/** The window as timestamps (null: unbounded) and whether both ends fall on midnight UTC. */
export function windowBounds(w: ComputedTraitDefinition["window"], now: Date): { from: number | null; to: number | null; dayAligned: boolean } {
  if (w.type === "ever") return { from: null, to: null, dayAligned: true };
  if (w.type === "last_days") return { from: windowStart(w.days, now), to: null, dayAligned: true };
  const from = asTime(w.from)!;
  const to = upperTime(w.to)!;
  return { from, to, dayAligned: from % DAY_MS === 0 && (to + 1) % DAY_MS === 0 };
}

const day = (ms: number) => new Date(Math.floor(ms / DAY_MS) * DAY_MS).toISOString().slice(0, 10);

export async function computeComputedTrait(options: {
  client: Queryable;
  workspaceId: string;
  trait: { id: string; definition: ComputedTraitDefinition };
  /** The clock windows are measured against. */
  now: Date;
  /** Only these profiles (live ones; others in the list lose their values); all live profiles when absent. */
  profileIds?: string[];
}): Promise<ComputeResult> {
  const { workspaceId, trait, now } = options;
  const d = trait.definition;
  const params: unknown[] = [workspaceId, trait.id, d.event];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const bounds = windowBounds(d.window, now);
  // Functions: a parameter is added only where it is used (an unused one has no type).
  const dayRange = () => `${bounds.from === null ? "" : ` AND d.day >= ${param(day(bounds.from))}::date`}${bounds.to === null ? "" : ` AND d.day <= ${param(day(bounds.to))}::date`}`;
  const partial = options.profileIds !== undefined;
  const ids = partial ? param(options.profileIds) : "";

  // Who is computed: the given live profiles, or every profile that had the event in the window.
  const scope = partial
    ? `SELECT p.id FROM unnest(${ids}::uuid[]) AS x(id) JOIN profiles p ON p.workspace_id = $1 AND p.id = x.id AND p.merged_into_id IS NULL`
    : `SELECT DISTINCT d.profile_id AS id FROM profile_event_days d WHERE d.workspace_id = $1 AND d.event = $3${dayRange()}`;

  let vals: string;
  if (d.fn === "count" && !d.where?.length && bounds.dayAligned) {
    vals = `SELECT d.profile_id, to_jsonb(sum(d.count)::bigint) AS value FROM scope s
            JOIN profile_event_days d ON d.workspace_id = $1 AND d.profile_id = s.id AND d.event = $3${dayRange()}
            GROUP BY d.profile_id HAVING sum(d.count) > 0`;
  } else {
    const tsFrom = bounds.from === null ? "" : ` AND a.timestamp >= ${param(new Date(bounds.from).toISOString())}::timestamptz`;
    const tsTo = bounds.to === null ? "" : ` AND a.timestamp <= ${param(new Date(bounds.to).toISOString())}::timestamptz`;
    const sql = { param: (value: unknown, cast: string) => `${param(value)}::${cast}`, now };
    const filters = (d.where ?? []).map((f) => ` AND coalesce(${compareSql(`e.raw->'properties' -> ${param(f.property)}::text`, f, sql)}, false)`).join("");
    const prop = d.property === undefined ? "NULL::jsonb" : `e.raw->'properties'->${param(d.property)}::text`;
    const ev = `SELECT i.profile_id, a.timestamp AS ts, e.id, ${prop} AS v FROM scope s
                JOIN identities i ON i.workspace_id = $1 AND i.profile_id = s.id
                JOIN event_identities a ON a.workspace_id = $1 AND a.identity_id = i.id${tsFrom}${tsTo}
                JOIN events e ON e.workspace_id = $1 AND e.id = a.event_id AND e.received_at = a.received_at
                WHERE e.event = $3${filters}`;
    vals = `WITH ev AS (${ev}) ${aggregate(d.fn)}`;
  }

  const { rows: [r] } = await options.client.query<ComputeResult>(
    `WITH scope AS (${scope}),
     vals AS (${vals}),
     up AS (
       INSERT INTO computed_trait_values AS t (workspace_id, computed_trait_id, profile_id, value, updated_at)
       SELECT $1, $2, profile_id, value, now() FROM vals ORDER BY profile_id
       ON CONFLICT (workspace_id, computed_trait_id, profile_id) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at
       WHERE t.value IS DISTINCT FROM EXCLUDED.value
       RETURNING 1),
     del AS (
       DELETE FROM computed_trait_values t WHERE t.workspace_id = $1 AND t.computed_trait_id = $2${partial ? ` AND t.profile_id = ANY(${ids}::uuid[])` : ""}
       AND NOT EXISTS (SELECT 1 FROM vals WHERE vals.profile_id = t.profile_id)
       RETURNING 1)
     SELECT (SELECT count(*) FROM vals)::int AS valued, (SELECT count(*) FROM up)::int AS written, (SELECT count(*) FROM del)::int AS removed`,
    params,
  );
  return r;
}

/** The per-profile value over `ev` (profile_id, ts, id, v: the property). */
function aggregate(fn: ComputedTraitDefinition["fn"]): string {
  switch (fn) {
    case "count":
      return `SELECT profile_id, to_jsonb(count(*)) AS value FROM ev GROUP BY profile_id`;
    case "sum":
    case "avg":
    case "min":
    case "max":
      // Doubles, like numbers everywhere in rules (0.1 + 0.2 is what JavaScript says it is).
      return `SELECT profile_id, to_jsonb(${fn}(n)) AS value FROM (SELECT profile_id, ${numberSql("v")} AS n FROM ev) x
              WHERE n IS NOT NULL GROUP BY profile_id`;
    case "first":
    case "last": {
      const dir = fn === "first" ? "ASC" : "DESC";
      return `SELECT DISTINCT ON (profile_id) profile_id, v AS value FROM ev WHERE ${presentSql("v")} ORDER BY profile_id, ts ${dir}, id ${dir}`;
    }
    case "most_frequent":
      return `SELECT DISTINCT ON (profile_id) profile_id, v AS value
              FROM (SELECT profile_id, v, count(*) AS n, max(ts) AS last FROM ev WHERE ${presentSql("v")} GROUP BY profile_id, v) x
              ORDER BY profile_id, n DESC, last DESC, v::text`;
  }
}
