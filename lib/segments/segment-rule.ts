// A segment's definition: one rule tree, the single schema shared by the builder UI, the SQL
// compiler (full evaluation) and the in-memory evaluator (incremental checks after a pipeline
// batch). Groups combine conditions with AND / OR and can be negated; conditions test a profile's
// traits, its events (counts or sums/averages of a property within a window, with property
// filters), computed traits, membership of another segment, its identifiers and consent.
// parseSegmentRule() validates a tree and says exactly what is wrong and where.
import { z } from "zod";
import { asTime } from "@/lib/segments/segment-values";

export const SEGMENT_LIMITS = {
  /** Nesting of groups (the root group is depth 1). */
  maxDepth: 5,
  /** Conditions in the whole tree (groups not counted). */
  maxConditions: 50,
  maxListValues: 500,
  maxWindowDays: 3650,
  maxTextLength: 500,
} as const;

export const VALUE_TYPES = ["string", "number", "boolean", "date"] as const;
export type ValueType = (typeof VALUE_TYPES)[number];

/** Operators per value type; `exists`/`not_exists` test presence, whatever the type. */
export const OPERATORS = {
  string: ["equals", "not_equals", "contains", "starts_with", "in", "not_in", "exists", "not_exists"],
  number: ["eq", "neq", "lt", "lte", "gt", "gte", "between", "exists", "not_exists"],
  boolean: ["is_true", "is_false", "exists", "not_exists"],
  date: ["before", "after", "between", "within_last_days", "within_next_days", "exists", "not_exists"],
} as const satisfies Record<ValueType, readonly string[]>;

/** A test of one value: a trait, an event property, a computed trait or an aggregate. */
export interface Comparison {
  type: ValueType;
  op: string;
  /** equals … / lt … / before …: the operand; between: the lower bound. */
  value?: string | number;
  /** between: the upper bound (inclusive). */
  to?: string | number;
  /** in / not_in. */
  values?: (string | number)[];
  /** within_last_days / within_next_days. */
  days?: number;
}

export type EventWindow = { type: "ever" } | { type: "last_days"; days: number } | { type: "between"; from: string; to: string };

export interface PropertyFilter extends Comparison {
  property: string;
}

export type RuleCondition =
  | ({ kind: "trait"; key: string } & Comparison)
  | {
      kind: "event";
      event: string;
      /** How many matching events: at least / at most / exactly N (not performed = exactly 0). */
      count: { op: "at_least" | "at_most" | "exactly"; value: number };
      window: EventWindow;
      where: PropertyFilter[];
      /** And the sum or average of a number property over the matching events must pass this. */
      aggregate?: { fn: "sum" | "avg"; property: string } & Comparison;
    }
  | ({ kind: "computed_trait"; computedTraitId: string } & Comparison)
  | { kind: "segment"; segmentId: string; member: boolean }
  | { kind: "identifier"; identifierType: string; present: boolean }
  | { kind: "consent"; purpose: string; granted: boolean };

export interface RuleGroup {
  kind: "group";
  op: "and" | "or";
  /** NOT: the group matches when its combination does not. */
  negate: boolean;
  children: RuleNode[];
}

export type RuleNode = RuleGroup | RuleCondition;

export const textField = (what: string) => z.string({ error: `Enter ${what}.` }).trim().min(1, `Enter ${what}.`).max(SEGMENT_LIMITS.maxTextLength, `${what[0].toUpperCase()}${what.slice(1)} is too long.`);
const isoDate = z.string().refine((s) => asTime(s) !== null, "Use a date like 2026-11-29.");
const days = z.number({ error: "Enter a number of days." }).int("Use whole days.").min(1, "Use at least 1 day.").max(SEGMENT_LIMITS.maxWindowDays, `Use at most ${SEGMENT_LIMITS.maxWindowDays} days.`);

const comparisonFields = {
  type: z.enum(VALUE_TYPES, { error: "Pick string, number, boolean or date." }),
  op: z.string(),
  value: z.union([z.string().max(SEGMENT_LIMITS.maxTextLength), z.number()]).optional(),
  to: z.union([z.string().max(SEGMENT_LIMITS.maxTextLength), z.number()]).optional(),
  values: z.array(z.union([z.string().max(SEGMENT_LIMITS.maxTextLength), z.number()])).max(SEGMENT_LIMITS.maxListValues, `Use at most ${SEGMENT_LIMITS.maxListValues} values.`).optional(),
  days: days.optional(),
};

/** The operand checks of a comparison, by type and operator, with messages a marketer understands. */
function checkComparison(c: Comparison, ctx: z.RefinementCtx) {
  const ops: readonly string[] = OPERATORS[c.type];
  if (!ops.includes(c.op)) {
    ctx.addIssue({ code: "custom", path: ["op"], message: `"${c.op}" is not an operator for ${c.type} values (use one of ${ops.join(", ")}).` });
    return;
  }
  const need = (field: "value" | "to", ok: (v: unknown) => boolean, message: string) => {
    if (!ok(c[field])) ctx.addIssue({ code: "custom", path: [field], message });
  };
  const isNumber = (v: unknown) => typeof v === "number" && Number.isFinite(v);
  const isDate = (v: unknown) => typeof v === "string" && isoDate.safeParse(v).success;
  const isText = (v: unknown) => typeof v === "string" && v.length > 0;
  if (c.op === "exists" || c.op === "not_exists" || c.type === "boolean") return;
  if (c.op === "in" || c.op === "not_in") {
    if (!c.values?.length) ctx.addIssue({ code: "custom", path: ["values"], message: "Add at least one value." });
    return;
  }
  if (c.op === "within_last_days" || c.op === "within_next_days") {
    if (c.days === undefined) ctx.addIssue({ code: "custom", path: ["days"], message: "Enter a number of days." });
    return;
  }
  if (c.type === "number") need("value", isNumber, "Enter a number.");
  if (c.type === "date") need("value", isDate, "Use a date like 2026-11-29.");
  if (c.type === "string") need("value", isText, "Enter a value.");
  if (c.op === "between") {
    need("to", c.type === "number" ? isNumber : isDate, c.type === "number" ? "Enter the upper bound." : "Use an end date like 2026-11-29.");
    if (c.value !== undefined && c.to !== undefined && (c.type === "number" ? Number(c.value) > Number(c.to) : asTime(c.value)! > asTime(c.to)!)) {
      ctx.addIssue({ code: "custom", path: ["to"], message: "The upper bound is below the lower bound." });
    }
  }
}

const uuid = (what: string) => z.uuid({ error: `Pick ${what}.` });

const traitCondition = z.object({ kind: z.literal("trait"), key: textField("a trait"), ...comparisonFields }).superRefine(checkComparison);

export const eventWindowSchema = z.discriminatedUnion(
  "type",
  [
    z.object({ type: z.literal("ever") }),
    z.object({ type: z.literal("last_days"), days }),
    z.object({ type: z.literal("between"), from: isoDate, to: isoDate }).refine((w) => asTime(w.from)! <= asTime(w.to)!, { path: ["to"], message: "The end date is before the start date." }),
  ],
  { error: "Pick a time window: ever, the last N days, or between two dates." },
);

export const propertyFilterSchema = z.object({ property: textField("a property"), ...comparisonFields }).superRefine(checkComparison);

const eventCondition = z.object({
  kind: z.literal("event"),
  event: textField("an event name"),
  count: z.object({
    op: z.enum(["at_least", "at_most", "exactly"], { error: "Pick at least, at most or exactly." }),
    value: z.number({ error: "Enter how many times." }).int("Use a whole number of times.").min(0, "Use 0 or more times.").max(1_000_000, "Use at most 1,000,000 times."),
  }),
  window: eventWindowSchema,
  where: z.array(propertyFilterSchema).max(10, "Use at most 10 property filters per event condition."),
  aggregate: z
    .object({ fn: z.enum(["sum", "avg"], { error: "Pick sum or average." }), property: textField("the property to add up"), ...comparisonFields })
    .superRefine((a, ctx) => {
      if (a.type !== "number") ctx.addIssue({ code: "custom", path: ["type"], message: "Sums and averages compare numbers." });
      else checkComparison(a, ctx);
    })
    .optional(),
});

const computedTraitCondition = z.object({ kind: z.literal("computed_trait"), computedTraitId: uuid("a computed trait"), ...comparisonFields }).superRefine(checkComparison);
const segmentCondition = z.object({ kind: z.literal("segment"), segmentId: uuid("a segment"), member: z.boolean() });
const identifierCondition = z.object({
  kind: z.literal("identifier"),
  identifierType: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, "Pick an identifier type."),
  present: z.boolean(),
});
const consentCondition = z.object({ kind: z.literal("consent"), purpose: textField("a consent purpose"), granted: z.boolean() });

export const ruleNodeSchema: z.ZodType<RuleNode> = z.lazy(() =>
  z.discriminatedUnion(
    "kind",
    [
      z.object({
        kind: z.literal("group"),
        op: z.enum(["and", "or"], { error: "Pick AND or OR." }),
        negate: z.boolean().default(false),
        children: z.array(ruleNodeSchema).min(1, "A group needs at least one condition."),
      }),
      traitCondition,
      eventCondition,
      computedTraitCondition,
      segmentCondition,
      identifierCondition,
      consentCondition,
    ],
    { error: "Unknown kind of condition." },
  ),
) as z.ZodType<RuleNode>;

export type RuleProblem = { path: (string | number)[]; message: string };
export type ParsedRule = { ok: true; rule: RuleGroup } | { ok: false; problems: RuleProblem[] };

/** Depth and size limits, checked before the schema so a huge tree is refused cheaply. */
function checkLimits(input: unknown): RuleProblem[] {
  let conditions = 0;
  const problems: RuleProblem[] = [];
  const walk = (node: unknown, depth: number, path: (string | number)[]) => {
    if (typeof node !== "object" || node === null) return;
    const n = node as { kind?: unknown; children?: unknown };
    if (n.kind !== "group") {
      conditions += 1;
      return;
    }
    if (depth > SEGMENT_LIMITS.maxDepth) {
      problems.push({ path, message: `Groups can be nested ${SEGMENT_LIMITS.maxDepth} levels deep at most.` });
      return;
    }
    if (Array.isArray(n.children)) n.children.forEach((c, i) => walk(c, depth + 1, [...path, "children", i]));
  };
  walk(input, 1, []);
  if (conditions > SEGMENT_LIMITS.maxConditions) problems.push({ path: [], message: `A segment can have ${SEGMENT_LIMITS.maxConditions} conditions at most (this one has ${conditions}).` });
  return problems;
}

/** Validates a rule tree (its root must be a group); every problem comes with where it is. */
export function parseSegmentRule(input: unknown): ParsedRule {
  const limits = checkLimits(input);
  if (limits.length > 0) return { ok: false, problems: limits };
  const parsed = ruleNodeSchema.safeParse(input);
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((i) => ({ path: i.path.map((p) => (typeof p === "symbol" ? String(p) : p)), message: i.message })) };
  if (parsed.data.kind !== "group") return { ok: false, problems: [{ path: [], message: "A segment's rule starts with a group." }] };
  return { ok: true, rule: parsed.data };
}

/** Computed traits this rule refers to. */
export function referencedComputedTraits(node: RuleNode): string[] {
  if (node.kind === "group") return [...new Set(node.children.flatMap(referencedComputedTraits))];
  return node.kind === "computed_trait" ? [node.computedTraitId] : [];
}

/** Segments this rule refers to (for cycle checks and "referenced segment deleted" flags). */
export function referencedSegments(node: RuleNode): string[] {
  if (node.kind === "group") return [...new Set(node.children.flatMap(referencedSegments))];
  return node.kind === "segment" ? [node.segmentId] : [];
}
