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
import type { Comparison, EventWindow, RuleCondition, RuleGroup, RuleNode } from "@/lib/segments/segment-rule";
import { windowStart } from "@/lib/segments/evaluate-segment";
import { asTime, DATE_ONLY, DAY_MS, ISO_DATE_PATTERN, NUMERIC_PATTERN, upperTime } from "@/lib/segments/segment-values";

export interface CompileOptions {
  workspaceId: string;
  now: Date;
  /** Only these profiles (incremental checks, tests); all live person profiles when absent. */
  profileIds?: string[];
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

class Compiler {
  readonly params: unknown[];
  readonly ctes: string[] = [];
  readonly joins: string[] = [];

  constructor(
    workspaceId: string,
    private readonly now: Date,
  ) {
    this.params = [workspaceId];
  }

  param(value: unknown, cast: string): string {
    this.params.push(value);
    return `$${this.params.length}::${cast}`;
  }

  /** A CTE of one row per profile, joined to p; returns its alias. Inner when its absence means no match. */
  join(body: string, inner: boolean): string {
    const alias = `c${this.ctes.length + 1}`;
    this.ctes.push(`${alias} AS (${body})`);
    this.joins.push(`${inner ? "JOIN" : "LEFT JOIN"} ${alias} ON ${alias}.profile_id = p.id`);
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
        return this.compare(`p.traits -> ${this.param(c.key, "text")}`, c);
      case "computed_trait": {
        const alias = this.join(`SELECT profile_id, value FROM computed_trait_values WHERE workspace_id = ${ws} AND computed_trait_id = ${this.param(c.computedTraitId, "uuid")}`, required && missingFails(c));
        return this.compare(`${alias}.value`, c);
      }
      case "segment": {
        const alias = this.join(`SELECT profile_id FROM segment_memberships WHERE workspace_id = ${ws} AND segment_id = ${this.param(c.segmentId, "uuid")}`, required && c.member);
        return `(${alias}.profile_id IS ${c.member ? "NOT NULL" : "NULL"})`;
      }
      case "identifier": {
        const alias = this.join(`SELECT DISTINCT profile_id FROM identities WHERE workspace_id = ${ws} AND type = ${this.param(c.identifierType, "text")}`, required && c.present);
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
    let alias: string;
    if (usesDailyCounts(c)) {
      const w = c.window;
      const range = w.type === "ever" ? "" : w.type === "last_days" ? ` AND day >= ${this.param(day(windowStart(w.days, this.now)), "date")}` : ` AND day BETWEEN ${this.param(w.from, "date")} AND ${this.param(w.to, "date")}`;
      alias = this.join(`SELECT profile_id, sum(count)::bigint AS n FROM profile_event_days WHERE workspace_id = ${ws} AND event = ${name}${range} GROUP BY profile_id`, inner);
    } else {
      const props = "e.raw -> 'properties'";
      const filters = c.where.map((f) => ` AND coalesce(${this.compare(`${props} -> ${this.param(f.property, "text")}`, f)}, false)`).join("");
      const x = c.aggregate ? numberOf(`${props} -> ${this.param(c.aggregate.property, "text")}`) : null;
      alias = this.join(
        `SELECT i.profile_id, count(*) AS n${x ? `, sum(${x}) AS s, count(${x}) AS c` : ""}
         FROM event_identities a
         JOIN events e ON e.workspace_id = a.workspace_id AND e.id = a.event_id AND e.received_at = a.received_at
         JOIN identities i ON i.workspace_id = a.workspace_id AND i.id = a.identity_id
         WHERE a.workspace_id = ${ws} AND e.event = ${name}${this.rawWindow(c.window)}${filters}
         GROUP BY i.profile_id`,
        inner,
      );
    }
    const n = `coalesce(${alias}.n, 0)`;
    const { op, value } = c.count;
    const count = `${n} ${op === "at_least" ? ">=" : op === "at_most" ? "<=" : "="} ${value}`;
    if (!c.aggregate) return `(${count})`;
    // Sum of no events is 0; the average of none matches nothing (as in the evaluator).
    const aggregate = c.aggregate.fn === "sum" ? this.compareNumber(`coalesce(${alias}.s, 0)`, c.aggregate) : `(${alias}.c > 0 AND ${this.compareNumber(`${alias}.s / ${alias}.c`, c.aggregate)})`;
    return `(${count} AND coalesce(${aggregate}, false))`;
  }

  rawWindow(w: EventWindow): string {
    if (w.type === "ever") return "";
    if (w.type === "last_days") return ` AND a.timestamp >= ${this.param(iso(windowStart(w.days, this.now)), "timestamptz")}`;
    return ` AND a.timestamp BETWEEN ${this.param(iso(asTime(w.from)!), "timestamptz")} AND ${this.param(iso(upperTime(w.to)!), "timestamptz")}`;
  }

  /** SQL for compare(value, c) of the evaluator; `v` is a jsonb expression (NULL when missing). */
  compare(v: string, c: Comparison): string {
    if (c.op === "exists") return `(jsonb_typeof(${v}) IS DISTINCT FROM 'null' AND ${v} IS NOT NULL)`;
    if (c.op === "not_exists") return `(${v} IS NULL OR jsonb_typeof(${v}) = 'null')`;
    switch (c.type) {
      case "string": {
        const t = `lower((CASE jsonb_typeof(${v}) WHEN 'string' THEN ${v} #>> '{}' WHEN 'number' THEN ${v} #>> '{}' WHEN 'boolean' THEN ${v} #>> '{}' END) COLLATE pg_unicode_fast)`;
        const operand = () => this.param(String(c.value ?? "").toLowerCase(), "text");
        const list = () => this.param((c.values ?? []).map((x) => String(x).toLowerCase()), "text[]");
        if (c.op === "equals") return `(${t} = ${operand()})`;
        if (c.op === "not_equals") return `(${t} IS DISTINCT FROM ${operand()})`;
        if (c.op === "contains") return `(strpos(${t}, ${operand()}) > 0)`;
        if (c.op === "starts_with") return `starts_with(${t}, ${operand()})`;
        if (c.op === "in") return `(${t} = ANY(${list()}))`;
        if (c.op === "not_in") return `(${t} IS NULL OR NOT (${t} = ANY(${list()})))`;
        return "false";
      }
      case "number":
        return this.compareNumber(numberOf(v), c);
      case "boolean":
        if (c.op === "is_true") return `(${v} IN ('true'::jsonb, '"true"'::jsonb))`;
        if (c.op === "is_false") return `(${v} IN ('false'::jsonb, '"false"'::jsonb))`;
        return "false";
      case "date": {
        const t = timeOf(v, this);
        const at = (ms: number) => this.param(iso(ms), "timestamptz");
        const now = this.now.getTime();
        if (c.op === "before") return `(${t} < ${at(asTime(c.value)!)})`;
        if (c.op === "after") return `(${t} > ${at(upperTime(c.value)!)})`;
        if (c.op === "between") return `(${t} BETWEEN ${at(asTime(c.value)!)} AND ${at(upperTime(c.to)!)})`;
        if (c.op === "within_last_days") return `(${t} BETWEEN ${at(now - (c.days ?? 0) * DAY_MS)} AND ${at(now)})`;
        if (c.op === "within_next_days") return `(${t} BETWEEN ${at(now)} AND ${at(now + (c.days ?? 0) * DAY_MS)})`;
        return "false";
      }
    }
  }

  /** `x` is a double precision expression (NULL when not a number). */
  compareNumber(x: string, c: Comparison): string {
    const operand = () => this.param(Number(c.value), "float8");
    switch (c.op) {
      case "exists":
        return `(${x} IS NOT NULL)`;
      case "not_exists":
        return `(${x} IS NULL)`;
      case "eq":
        return `(${x} = ${operand()})`;
      case "neq":
        return `(${x} IS DISTINCT FROM ${operand()})`;
      case "lt":
        return `(${x} < ${operand()})`;
      case "lte":
        return `(${x} <= ${operand()})`;
      case "gt":
        return `(${x} > ${operand()})`;
      case "gte":
        return `(${x} >= ${operand()})`;
      case "between":
        return `(${x} BETWEEN ${operand()} AND ${this.param(Number(c.to), "float8")})`;
      default:
        return "false";
    }
  }
}

/** A jsonb value as a double: JSON numbers and numeric strings (the evaluator's asNumber). */
function numberOf(v: string): string {
  return `(CASE jsonb_typeof(${v}) WHEN 'number' THEN (${v})::float8 WHEN 'string' THEN CASE WHEN (${v} #>> '{}') ~ '${NUMERIC_PATTERN}' THEN (${v} #>> '{}')::float8 END END)`;
}

/** A jsonb value as a timestamp: ISO strings of the evaluator's pattern that are real dates; UTC without an offset. */
function timeOf(v: string, c: Compiler): string {
  const s = `(${v} #>> '{}')`;
  const pattern = c.param(ISO_DATE_PATTERN, "text");
  return `(CASE WHEN jsonb_typeof(${v}) = 'string' AND ${s} ~ ${pattern} AND pg_input_is_valid(${s}, 'timestamp') THEN
    CASE WHEN ${s} ~ '(Z|[+-][0-9]{2}:[0-9]{2})$' THEN ${s}::timestamptz ELSE ${s}::timestamp AT TIME ZONE 'UTC' END END)`;
}

/** Whether a comparison fails when the value is missing (so a required CTE may be an inner join). */
function missingFails(c: Comparison): boolean {
  return !["not_equals", "not_in", "neq", "not_exists"].includes(c.op);
}

/** The members query of a rule. */
export function compileSegment(rule: RuleGroup, options: CompileOptions): CompiledSegment {
  const compiler = new Compiler(options.workspaceId, options.now);
  const where = compiler.node(rule, true);
  const only = options.profileIds ? ` AND p.id = ANY(${compiler.param(options.profileIds, "uuid[]")})` : "";
  const sql = `${compiler.ctes.length > 0 ? `WITH ${compiler.ctes.join(",\n")}\n` : ""}SELECT p.id AS profile_id FROM profiles p
${compiler.joins.join("\n")}
WHERE p.workspace_id = $1::uuid AND p.merged_into_id IS NULL AND p.kind = 'user'${only} AND ${where}`;
  return { sql, params: compiler.params };
}
