// A computed trait's definition: one function (count, sum/avg/min/max, first/last value, most
// frequent value) over the events of one name, within a window (ever, the last N days, between two
// dates), optionally only the events whose properties pass a few filters. The same schema serves
// the form, the server action and the SQL that computes the values. Windows and property filters
// mean what they mean in segment rules (lib/segments/evaluate-segment.ts): "the last N days" are N
// calendar days in UTC, today included; strict ISO dates.
import { z } from "zod";
import { describeComparison } from "@/lib/segments/describe-segment";
import { eventWindowSchema, propertyFilterSchema as segmentPropertyFilterSchema, SEGMENT_LIMITS, textField, type EventWindow, type PropertyFilter } from "@/lib/segments/segment-rule";

export const COMPUTED_TRAIT_FNS = ["count", "sum", "avg", "min", "max", "first", "last", "most_frequent"] as const;
export type ComputedTraitFn = (typeof COMPUTED_TRAIT_FNS)[number];

export const FN_LABELS: Record<ComputedTraitFn, { label: string; hint: string }> = {
  count: { label: "Event count", hint: "How many times the event happened" },
  sum: { label: "Sum", hint: "The total of a number property" },
  avg: { label: "Average", hint: "The mean of a number property" },
  min: { label: "Minimum", hint: "The smallest value of a number property" },
  max: { label: "Maximum", hint: "The largest value of a number property" },
  first: { label: "First value", hint: "The property's value on the earliest event" },
  last: { label: "Last value", hint: "The property's value on the latest event" },
  most_frequent: { label: "Most frequent value", hint: "The property's most common value" },
};

/** Property filters on the events: kept small (the SQL stays cheap and the form simple). */
export const MAX_WHERE = 5;
/** Filter types computed traits support (dates are left to segments). */
export const FILTER_TYPES = ["string", "number", "boolean"] as const;

export interface ComputedTraitDefinition {
  fn: ComputedTraitFn;
  event: string;
  /** The property the function reads; absent for count. */
  property?: string;
  window: EventWindow;
  where?: PropertyFilter[];
}

const propertyFilterSchema = segmentPropertyFilterSchema.refine((f) => (FILTER_TYPES as readonly string[]).includes(f.type), { path: ["type"], message: "Pick string, number or boolean." });

export const computedTraitDefinitionSchema = z
  .object({
    fn: z.enum(COMPUTED_TRAIT_FNS, { error: "Pick what to compute: a count, a sum, an average, a minimum, a maximum, a first, last or most frequent value." }),
    event: textField("an event name"),
    property: z.string().trim().max(SEGMENT_LIMITS.maxTextLength, "The property name is too long.").optional(),
    window: eventWindowSchema,
    where: z.array(propertyFilterSchema).max(MAX_WHERE, `Use at most ${MAX_WHERE} property filters.`).optional(),
  })
  .superRefine((d, ctx) => {
    if (d.fn !== "count" && !d.property) ctx.addIssue({ code: "custom", path: ["property"], message: `Enter the property to take the ${FN_LABELS[d.fn].label.toLowerCase()} of.` });
  })
  .transform((d): ComputedTraitDefinition => {
    // A count reads no property; an empty filter list is no filter: one canonical shape per meaning.
    const out: ComputedTraitDefinition = { fn: d.fn, event: d.event, window: d.window };
    if (d.fn !== "count") out.property = d.property;
    if (d.where?.length) out.where = d.where as PropertyFilter[];
    return out;
  });

/** A stored definition, or null when it no longer parses (reported as the trait's error). */
export function parseComputedTraitDefinition(input: unknown): ComputedTraitDefinition | null {
  const parsed = computedTraitDefinitionSchema.safeParse(input);
  return parsed.success ? parsed.data : null;
}

/** A stored definition with its description; one that no longer parses says so instead. */
export function readStoredDefinition(input: unknown): { definition: ComputedTraitDefinition | null; description: string } {
  const definition = parseComputedTraitDefinition(input);
  return { definition, description: definition ? describeComputedTrait(definition) : "Definition not valid: edit and save it again" };
}

/** What kind of value the trait holds, for segment conditions: first/last/most frequent give whatever the property holds (reported as text). */
export function computedTraitValueType(d: Pick<ComputedTraitDefinition, "fn">): "number" | "string" {
  return d.fn === "first" || d.fn === "last" || d.fn === "most_frequent" ? "string" : "number";
}

/** Whether the values change by themselves as time passes (they need the daily sweep). */
export const isWindowed = (d: Pick<ComputedTraitDefinition, "window">) => d.window.type === "last_days";

function describeWindow(w: EventWindow): string {
  if (w.type === "ever") return "ever";
  if (w.type === "last_days") return w.days === 1 ? "today" : `in the last ${w.days} days`;
  return `between ${w.from} and ${w.to}`;
}

/** "Count of Order Completed in the last 30 days", "Sum of total over Order Completed, ever, where currency is EUR". */
export function describeComputedTrait(d: ComputedTraitDefinition): string {
  const head =
    d.fn === "count"
      ? `Count of ${d.event}`
      : d.fn === "most_frequent"
        ? `Most frequent ${d.property} of ${d.event}`
        : d.fn === "first" || d.fn === "last"
          ? `${d.fn === "first" ? "First" : "Last"} ${d.property} of ${d.event}`
          : `${FN_LABELS[d.fn].label} of ${d.property} over ${d.event}`;
  const window = d.window.type === "ever" ? ", ever" : ` ${describeWindow(d.window)}`;
  const where = d.where?.length ? `, where ${d.where.map((f) => `${f.property} ${describeComparison(f)}`).join(" and ")}` : "";
  return `${head}${window}${where}`;
}
