// One comparison (compare() of lib/segments/evaluate-segment.ts) as SQL over a jsonb value, for
// the segment compiler and the computed-trait computation alike. Every result is TRUE, FALSE or
// NULL only where compare() has no value to read: callers wrap it in coalesce(…, false).
// Strings are lowered with the pg_unicode_fast collation (String.prototype.toLowerCase's full case
// mapping), numbers compare as doubles, dates parse with the evaluator's pattern (UTC without an
// offset). Operands always travel as parameters.
import type { Comparison } from "@/lib/segments/segment-rule";
import { asTime, DAY_MS, ISO_DATE_PATTERN, NUMERIC_PATTERN, upperTime } from "@/lib/segments/segment-values";

export interface SqlContext {
  /** Adds a parameter and returns its placeholder with the cast (`$4::text`). */
  param: (value: unknown, cast: string) => string;
  now: Date;
}

/** A jsonb value present: not missing and not JSON null. */
export const presentSql = (v: string) => `(${v} IS NOT NULL AND jsonb_typeof(${v}) <> 'null')`;

/** A jsonb value as a double: JSON numbers and numeric strings (the evaluator's asNumber), else NULL. */
export function numberSql(v: string): string {
  return `(CASE jsonb_typeof(${v}) WHEN 'number' THEN (${v})::float8 WHEN 'string' THEN CASE WHEN (${v} #>> '{}') ~ '${NUMERIC_PATTERN}' THEN (${v} #>> '{}')::float8 END END)`;
}

/** A jsonb value as a timestamp: ISO strings of the evaluator's pattern that are real dates. */
function timeSql(v: string, ctx: SqlContext): string {
  const s = `(${v} #>> '{}')`;
  // Date-only values (the common case) are recognised without a regular expression, which costs
  // PostgreSQL about a microsecond per row: LIKE fixes the length and the dashes, translate() that
  // the other eight characters are ASCII digits, NOT LIKE '0%' the pattern's [1-9] (together
  // exactly ^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$).
  return `(CASE WHEN jsonb_typeof(${v}) <> 'string' THEN NULL
    WHEN ${s} LIKE '____-__-__' THEN CASE WHEN ${s} NOT LIKE '0%' AND translate(${s}, '0123456789', '') = '--' AND pg_input_is_valid(${s}, 'timestamp') THEN ${s}::timestamp AT TIME ZONE 'UTC' END
    WHEN ${s} ~ ${ctx.param(ISO_DATE_PATTERN, "text")} AND pg_input_is_valid(${s}, 'timestamp') THEN
      CASE WHEN ${s} ~ '(Z|[+-][0-9]{2}:[0-9]{2})$' THEN ${s}::timestamptz ELSE ${s}::timestamp AT TIME ZONE 'UTC' END END)`;
}

/** compare(x, c) where `x` is already a double precision expression (NULL when not a number). */
export function compareNumberSql(x: string, c: Comparison, ctx: SqlContext): string {
  const operand = () => ctx.param(Number(c.value), "float8");
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
      return `(${x} BETWEEN ${operand()} AND ${ctx.param(Number(c.to), "float8")})`;
    default:
      return "false";
  }
}

/** compare(v, c) where `v` is a jsonb expression (NULL when missing). */
export function compareSql(v: string, c: Comparison, ctx: SqlContext): string {
  if (c.op === "exists") return presentSql(v);
  if (c.op === "not_exists") return `(NOT ${presentSql(v)})`;
  switch (c.type) {
    case "string": {
      const t = `lower((CASE WHEN jsonb_typeof(${v}) IN ('string', 'number', 'boolean') THEN ${v} #>> '{}' END) COLLATE pg_unicode_fast)`;
      const operand = () => ctx.param(String(c.value ?? "").toLowerCase(), "text");
      const list = () => ctx.param((c.values ?? []).map((x) => String(x).toLowerCase()), "text[]");
      // Positive tests compare first and check that the value is a scalar only for the rows that
      // matched (an object's JSON text must not match): most rows fail the cheaper test alone.
      const lowered = `lower((${v} #>> '{}') COLLATE pg_unicode_fast)`;
      const scalar = `jsonb_typeof(${v}) IN ('string', 'number', 'boolean')`;
      if (c.op === "equals") return `(${lowered} = ${operand()} AND ${scalar})`;
      if (c.op === "not_equals") return `(${t} IS DISTINCT FROM ${operand()})`;
      if (c.op === "contains") return `(strpos(${lowered}, ${operand()}) > 0 AND ${scalar})`;
      if (c.op === "starts_with") return `(starts_with(${lowered}, ${operand()}) AND ${scalar})`;
      if (c.op === "in") return `(${lowered} = ANY(${list()}) AND ${scalar})`;
      if (c.op === "not_in") return `(${t} IS NULL OR NOT (${t} = ANY(${list()})))`;
      return "false";
    }
    case "number":
      return compareNumberSql(numberSql(v), c, ctx);
    case "boolean":
      if (c.op === "is_true") return `(${v} IN ('true'::jsonb, '"true"'::jsonb))`;
      if (c.op === "is_false") return `(${v} IN ('false'::jsonb, '"false"'::jsonb))`;
      return "false";
    case "date": {
      const t = timeSql(v, ctx);
      const at = (ms: number) => ctx.param(new Date(ms).toISOString(), "timestamptz");
      const now = ctx.now.getTime();
      if (c.op === "before") return `(${t} < ${at(asTime(c.value)!)})`;
      if (c.op === "after") return `(${t} > ${at(upperTime(c.value)!)})`;
      if (c.op === "between") return `(${t} BETWEEN ${at(asTime(c.value)!)} AND ${at(upperTime(c.to)!)})`;
      if (c.op === "within_last_days") return `(${t} BETWEEN ${at(now - (c.days ?? 0) * DAY_MS)} AND ${at(now)})`;
      if (c.op === "within_next_days") return `(${t} BETWEEN ${at(now)} AND ${at(now + (c.days ?? 0) * DAY_MS)})`;
      return "false";
    }
  }
}
