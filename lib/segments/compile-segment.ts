// Full evaluation: a rule tree becomes one set-based SQL query over the workspace's live person
// profiles. Each condition that needs other rows (events, computed traits, other segments,
// identifiers) becomes a CTE yielding one row per profile, joined to the profiles; conditions on
// traits read profiles.traits. The semantics are the in-memory evaluator's
// (lib/segments/evaluate-segment.ts), value for value — a property-based test holds the two to it:
// - every condition yields TRUE or FALSE, never NULL, so NOT and OR behave as in JavaScript;
// - strings are lowered with the pg_unicode_fast collation (the same full case mapping as
//   String.prototype.toLowerCase), numbers compare as doubles, dates parse with the same pattern;
// - event conditions without property filters or aggregates, over day-aligned windows, read the
//   daily counts (profile_event_days); the others read the events themselves.
// Plan shape, for a rule that is an AND of trait conditions and conditions on other rows (the
// common case): the trait conditions run first, in one scan of the profiles (`base`), and every
// CTE after it only reads the profiles that can still match — those in `base` and in each required
// CTE before it. Counting a month of page views for the few thousand people who passed the traits
// is much cheaper than counting them for everyone and joining afterwards.
import type { Comparison, EventWindow, RuleCondition, RuleGroup, RuleNode } from "@/lib/segments/segment-rule";
import { windowStart } from "@/lib/segments/evaluate-segment";
import { compareNumberSql, compareSql, numberSql, type SqlContext } from "@/lib/segments/compile-comparison";
import { asTime, DATE_ONLY, upperTime } from "@/lib/segments/segment-values";

export interface CompileOptions {
  workspaceId: string;
  now: Date;
  /** Only these profiles (incremental checks, tests); all live person profiles when absent. */
  profileIds?: string[];
  /** Only profiles whose id sorts below this uuid: a uniform sample (ids are random), read by index ranges. */
  idsBelow?: string;
}

export interface CompiledSegment {
  /** Returns one column, profile_id, for each member. */
  sql: string;
  params: unknown[];
}

type EventCondition = Extract<RuleCondition, { kind: "event" }>;

/** Whether the daily counts answer this event condition exactly (see the evaluator's header). */
export function usesDailyCounts(c: EventCondition): boolean {
  if (c.where.length > 0 || c.aggregate) return false;
  return c.window.type !== "between" || (DATE_ONLY.test(c.window.from) && DATE_ONLY.test(c.window.to));
}

const iso = (ms: number) => new Date(ms).toISOString();
const day = (ms: number) => iso(ms).slice(0, 10);

class Compiler implements SqlContext {
  readonly params: unknown[];
  readonly ctes: string[] = [];
  readonly joins: string[] = [];
  /** The profile id the CTEs join to. */
  anchor = "p.id";
  /** A CTE of profiles that can still match (every member is in it), restricting the CTEs after it. */
  within: string | null = null;

  /** Restricts a CTE to the sampled ids (empty without a sample). */
  readonly sample: (column: string) => string;

  constructor(
    workspaceId: string,
    readonly now: Date,
    idsBelow?: string,
  ) {
    this.params = [workspaceId];
    const bound = idsBelow ? this.param(idsBelow, "uuid") : null;
    this.sample = (column) => (bound ? ` AND ${column} < ${bound}` : "");
  }

  param = (value: unknown, cast: string): string => {
    this.params.push(value);
    return `$${this.params.length}::${cast}`;
  };

  /** Restricts a CTE to the profiles that can still match: the sample, and `within`. */
  restrict(column: string): string {
    return `${this.sample(column)}${this.within ? ` AND ${column} IN (SELECT profile_id FROM ${this.within})` : ""}`;
  }

  /** A CTE of one row per profile, joined to the anchor; returns its alias. Inner when its absence means no match. */
  join(body: string, inner: boolean): string {
    const alias = `c${this.joins.length + 1}`;
    this.ctes.push(`${alias} AS (${body})`);
    this.joins.push(`${inner ? "JOIN" : "LEFT JOIN"} ${alias} ON ${alias}.profile_id = ${this.anchor}`);
    // An inner CTE holds every member, so the ones after it need only read its profiles.
    if (inner) this.within = alias;
    return alias;
  }

  node(n: RuleNode, required: boolean): string {
    if (n.kind === "group") {
      // A condition is "required" when it sits in an AND chain from the root without a NOT: a
      // profile failing it can never match, so its CTE may be an inner join (the planner can then
      // start from the small set instead of scanning every profile).
      const childRequired = required && n.op === "and" && !n.negate;
      const parts = n.children.map((c) => this.node(c, childRequired));
      const body = parts.length === 1 ? parts[0] : `(${parts.join(n.op === "and" ? " AND " : " OR ")})`;
      return n.negate ? `(NOT ${body})` : body;
    }
    return `coalesce(${this.condition(n, required)}, false)`;
  }

  condition(c: RuleCondition, required: boolean): string {
    const ws = "$1::uuid";
    switch (c.kind) {
      case "trait":
        return compareSql(`p.traits -> ${this.param(c.key, "text")}`, c, this);
      case "computed_trait": {
        const alias = this.join(`SELECT profile_id, value FROM computed_trait_values WHERE workspace_id = ${ws} AND computed_trait_id = ${this.param(c.computedTraitId, "uuid")}${this.restrict("profile_id")}`, required && missingFails(c));
        return compareSql(`${alias}.value`, c, this);
      }
      case "segment": {
        const alias = this.join(`SELECT profile_id FROM segment_memberships WHERE workspace_id = ${ws} AND segment_id = ${this.param(c.segmentId, "uuid")}${this.restrict("profile_id")}`, required && c.member);
        return `(${alias}.profile_id IS ${c.member ? "NOT NULL" : "NULL"})`;
      }
      case "identifier": {
        const alias = this.join(`SELECT DISTINCT profile_id FROM identities WHERE workspace_id = ${ws} AND type = ${this.param(c.identifierType, "text")}${this.restrict("profile_id")}`, required && c.present);
        return `(${alias}.profile_id IS ${c.present ? "NOT NULL" : "NULL"})`;
      }
      case "consent":
        // The consent model arrives with governance: until then nobody has granted any purpose.
        return c.granted ? "false" : "true";
      case "event":
        return this.event(c, required);
    }
  }

  event(c: EventCondition, required: boolean): string {
    const ws = "$1::uuid";
    const inner = required && (c.count.op === "at_least" ? c.count.value > 0 : false);
    const name = this.param(c.event, "text");
    // A required "at least N" drops the profiles with fewer at once (the rest of the test stays below).
    const having = (n: string) => (inner ? ` HAVING ${n} >= ${c.count.value}` : "");
    let alias: string;
    if (usesDailyCounts(c)) {
      const w = c.window;
      const range = w.type === "ever" ? "" : w.type === "last_days" ? ` AND day >= ${this.param(day(windowStart(w.days, this.now)), "date")}` : ` AND day BETWEEN ${this.param(w.from, "date")} AND ${this.param(w.to, "date")}`;
      alias = this.join(`SELECT profile_id, sum(count)::bigint AS n FROM profile_event_days WHERE workspace_id = ${ws} AND event = ${name}${range}${this.restrict("profile_id")} GROUP BY profile_id${having("sum(count)")}`, inner);
    } else {
      const props = "e.raw -> 'properties'";
      const filters = c.where.map((f) => ` AND coalesce(${compareSql(`${props} -> ${this.param(f.property, "text")}`, f, this)}, false)`).join("");
      const x = c.aggregate ? numberSql(`${props} -> ${this.param(c.aggregate.property, "text")}`) : null;
      alias = this.join(
        `SELECT i.profile_id, count(*) AS n${x ? `, sum(${x}) AS s, count(${x}) AS c` : ""}
         FROM event_identities a
         JOIN identities i ON i.workspace_id = a.workspace_id AND i.id = a.identity_id
         -- One primary-key probe per timeline anchor, whatever the statistics say (without the
         -- LIMIT, estimates of a table not analysed yet made the planner scan a workspace's events
         -- once per anchor).
         CROSS JOIN LATERAL (SELECT e.event, e.raw FROM events e WHERE e.workspace_id = a.workspace_id AND e.id = a.event_id AND e.received_at = a.received_at LIMIT 1) e
         WHERE a.workspace_id = ${ws} AND e.event = ${name}${this.rawWindow(c.window)}${filters}${this.restrict("i.profile_id")}
         GROUP BY i.profile_id${having("count(*)")}`,
        inner,
      );
    }
    const n = `coalesce(${alias}.n, 0)`;
    const { op, value } = c.count;
    const count = `${n} ${op === "at_least" ? ">=" : op === "at_most" ? "<=" : "="} ${value}`;
    if (!c.aggregate) return `(${count})`;
    // Sum of no events is 0; the average of none matches nothing (as in the evaluator).
    const aggregate = c.aggregate.fn === "sum" ? compareNumberSql(`coalesce(${alias}.s, 0)`, c.aggregate, this) : `(${alias}.c > 0 AND ${compareNumberSql(`${alias}.s / ${alias}.c`, c.aggregate, this)})`;
    return `(${count} AND coalesce(${aggregate}, false))`;
  }

  rawWindow(w: EventWindow): string {
    if (w.type === "ever") return "";
    if (w.type === "last_days") return ` AND a.timestamp >= ${this.param(iso(windowStart(w.days, this.now)), "timestamptz")}`;
    return ` AND a.timestamp BETWEEN ${this.param(iso(asTime(w.from)!), "timestamptz")} AND ${this.param(iso(upperTime(w.to)!), "timestamptz")}`;
  }
}

/** Whether a comparison fails when the value is missing (so a required CTE may be an inner join). */
function missingFails(c: Comparison): boolean {
  return !["not_equals", "not_in", "neq", "not_exists"].includes(c.op);
}

/** Whether a rule node only reads the profile row (traits; consent, a constant for now). */
function readsOnlyProfile(n: RuleNode): boolean {
  return n.kind === "group" ? n.children.every(readsOnlyProfile) : n.kind === "trait" || n.kind === "consent";
}

/** Whether a rule node reads the profile's traits. */
function readsTraits(n: RuleNode): boolean {
  return n.kind === "group" ? n.children.some(readsTraits) : n.kind === "trait";
}

/** The members query of a rule. */
export function compileSegment(rule: RuleGroup, options: CompileOptions): CompiledSegment {
  const compiler = new Compiler(options.workspaceId, options.now, options.idsBelow);
  const only = options.profileIds ? ` AND p.id = ANY(${compiler.param(options.profileIds, "uuid[]")})` : "";
  const live = `p.workspace_id = $1::uuid AND p.merged_into_id IS NULL AND p.kind = 'user'${only}${compiler.sample("p.id")}`;
  const conjuncts = rule.op === "and" && !rule.negate ? rule.children : [];
  const onProfile = conjuncts.filter(readsOnlyProfile);
  const others = conjuncts.filter((n) => !readsOnlyProfile(n));
  if (onProfile.length > 0 && others.length > 0) {
    compiler.ctes.push(`base AS (SELECT p.id AS profile_id FROM profiles p WHERE ${live} AND ${onProfile.map((n) => compiler.node(n, true)).join(" AND ")})`);
    compiler.within = "base";
    compiler.anchor = "b.profile_id";
    const where = others.map((n) => compiler.node(n, true)).join(" AND ");
    const profile = others.some(readsTraits) ? `\nJOIN profiles p ON p.workspace_id = $1::uuid AND p.id = b.profile_id` : "";
    return { sql: `WITH ${compiler.ctes.join(",\n")}\nSELECT b.profile_id FROM base b${profile}\n${compiler.joins.join("\n")}\nWHERE ${where}`, params: compiler.params };
  }
  const where = compiler.node(rule, true);
  const sql = `${compiler.ctes.length > 0 ? `WITH ${compiler.ctes.join(",\n")}\n` : ""}SELECT p.id AS profile_id FROM profiles p
${compiler.joins.join("\n")}
WHERE ${live} AND ${where}`;
  return { sql, params: compiler.params };
}
