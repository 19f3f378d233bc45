// Property filters of a computed trait as SQL over an event's properties, with the semantics of
// compare() in lib/segments/evaluate-segment.ts, written the way lib/segments/compile-segment.ts
// writes them: strings compare case-insensitively (numbers and booleans by their text, lowered with
// the pg_unicode_fast collation like String.prototype.toLowerCase), numbers are JSON numbers or
// numeric strings compared as doubles, negative operators also match an event without the
// property. Operands always travel as parameters.
import type { PropertyFilter } from "@/lib/segments/segment-rule";
import { NUMERIC_PATTERN } from "@/lib/segments/segment-values";

/** Adds a parameter and returns its placeholder. */
export type Param = (value: unknown) => string;

/** `value` present: not missing and not JSON null. */
export const presentSql = (v: string) => `(${v} IS NOT NULL AND jsonb_typeof(${v}) <> 'null')`;

/** A JSON value as a double (JSON numbers and numeric strings, whose bounded pattern never overflows), else NULL. */
export function numberSql(v: string, param: Param): string {
  return `(CASE WHEN jsonb_typeof(${v}) = 'number' THEN (${v})::float8
                WHEN jsonb_typeof(${v}) = 'string' AND (${v} #>> '{}') ~ ${param(NUMERIC_PATTERN)}::text THEN (${v} #>> '{}')::float8 END)`;
}

const textSql = (v: string) => `lower((CASE WHEN jsonb_typeof(${v}) IN ('string', 'number', 'boolean') THEN ${v} #>> '{}' END) COLLATE pg_unicode_fast)`;

/** One filter on `props` (an expression of the event's properties object). */
export function compilePropertyFilter(f: PropertyFilter, props: string, param: Param): string {
  const v = `(${props} -> ${param(f.property)}::text)`;
  if (f.op === "exists") return presentSql(v);
  if (f.op === "not_exists") return `NOT ${presentSql(v)}`;
  if (f.type === "string") {
    const t = textSql(v);
    const operand = () => param(String(f.value ?? "").toLowerCase());
    const list = () => `${param((f.values ?? []).map((x) => String(x).toLowerCase()))}::text[]`;
    switch (f.op) {
      case "equals":
        return `${t} = ${operand()}::text`;
      case "not_equals":
        return `${t} IS DISTINCT FROM ${operand()}::text`;
      case "contains":
        return `strpos(${t}, ${operand()}::text) > 0`;
      case "starts_with":
        return `starts_with(${t}, ${operand()}::text)`;
      case "in":
        return `${t} = ANY(${list()})`;
      case "not_in":
        return `(${t} IS NULL OR NOT (${t} = ANY(${list()})))`;
    }
  }
  if (f.type === "number") {
    const n = numberSql(v, param);
    const x = () => `${param(Number(f.value))}::float8`;
    switch (f.op) {
      case "eq":
        return `${n} = ${x()}`;
      case "neq":
        return `${n} IS DISTINCT FROM ${x()}`;
      case "lt":
        return `${n} < ${x()}`;
      case "lte":
        return `${n} <= ${x()}`;
      case "gt":
        return `${n} > ${x()}`;
      case "gte":
        return `${n} >= ${x()}`;
      case "between":
        return `${n} BETWEEN ${x()} AND ${param(Number(f.to))}::float8`;
    }
  }
  if (f.type === "boolean") {
    if (f.op === "is_true") return `${v} IN ('true'::jsonb, '"true"'::jsonb)`;
    if (f.op === "is_false") return `${v} IN ('false'::jsonb, '"false"'::jsonb)`;
  }
  // The schema admits no other combination; refuse rather than match everything.
  throw new Error(`Unsupported property filter: ${f.type} ${f.op}`);
}
