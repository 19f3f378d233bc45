// The in-memory evaluator of a segment rule: does one profile match? Used for the incremental check
// of the profiles a pipeline batch touched. The SQL compiler must give the same answer for every
// rule and profile (a property-based test holds them to it), so the semantics live here, spelled out:
// - Strings compare case-insensitively; numbers and booleans compare by their text there too.
// - Negative operators (not_equals, not_in, neq) also match a profile without the value.
// - Numbers are JSON numbers or numeric strings; dates are ISO strings. A date-only upper bound
//   ("2026-11-30") includes that whole day (UTC).
// - An event condition counts the events of that name inside the window whose properties pass every
//   filter, then compares the count; with an aggregate, the sum (0 without events) or the average
//   (no match without events) of the property over those events must pass as well.
import type { Comparison, EventWindow, RuleNode } from "@/lib/segments/segment-rule";

const DAY_MS = 86_400_000;

export interface ProfileFacts {
  traits: Record<string, unknown>;
  /** Identifier types the profile holds. */
  identifierTypes: Set<string>;
  events: { event: string | null; timestamp: Date; properties: Record<string, unknown> }[];
  computedTraits: Record<string, unknown>;
  /** Segments the profile is currently in. */
  segments: Set<string>;
  /** Consent per purpose (true: granted). */
  consents: Record<string, boolean>;
}

const NUMERIC = /^\s*-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

const present = (v: unknown) => v !== undefined && v !== null;
const asText = (v: unknown): string | null => (typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : null);
const asNumber = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : typeof v === "string" && NUMERIC.test(v) ? Number(v) : null);
const asTime = (v: unknown): number | null => (typeof v === "string" && ISO_DATE.test(v) && !Number.isNaN(Date.parse(v)) ? Date.parse(v) : null);
/** An upper date bound: a date-only value includes its whole day. */
const upperTime = (v: unknown): number | null => {
  const t = asTime(v);
  return t !== null && typeof v === "string" && DATE_ONLY.test(v) ? t + DAY_MS - 1 : t;
};

/** Whether a value passes a comparison (`now` for relative dates). */
export function compare(value: unknown, c: Comparison, now: Date): boolean {
  if (c.op === "exists") return present(value);
  if (c.op === "not_exists") return !present(value);
  switch (c.type) {
    case "string": {
      const v = asText(value)?.toLowerCase() ?? null;
      const operand = String(c.value ?? "").toLowerCase();
      const list = (c.values ?? []).map((x) => String(x).toLowerCase());
      if (c.op === "not_equals") return v !== operand;
      if (c.op === "not_in") return v === null || !list.includes(v);
      if (v === null) return false;
      if (c.op === "equals") return v === operand;
      if (c.op === "contains") return v.includes(operand);
      if (c.op === "starts_with") return v.startsWith(operand);
      if (c.op === "in") return list.includes(v);
      return false;
    }
    case "number": {
      const v = asNumber(value);
      const x = Number(c.value);
      if (c.op === "neq") return v !== x;
      if (v === null) return false;
      if (c.op === "eq") return v === x;
      if (c.op === "lt") return v < x;
      if (c.op === "lte") return v <= x;
      if (c.op === "gt") return v > x;
      if (c.op === "gte") return v >= x;
      if (c.op === "between") return v >= x && v <= Number(c.to);
      return false;
    }
    case "boolean":
      if (c.op === "is_true") return value === true || value === "true";
      if (c.op === "is_false") return value === false || value === "false";
      return false;
    case "date": {
      const t = asTime(value);
      if (t === null) return false;
      const nowMs = now.getTime();
      if (c.op === "before") return t < asTime(c.value)!;
      if (c.op === "after") return t > upperTime(c.value)!;
      if (c.op === "between") return t >= asTime(c.value)! && t <= upperTime(c.to)!;
      if (c.op === "within_last_days") return t >= nowMs - (c.days ?? 0) * DAY_MS && t <= nowMs;
      if (c.op === "within_next_days") return t >= nowMs && t <= nowMs + (c.days ?? 0) * DAY_MS;
      return false;
    }
  }
}

function inWindow(t: Date, w: EventWindow, now: Date): boolean {
  if (w.type === "ever") return true;
  if (w.type === "last_days") return t.getTime() >= now.getTime() - w.days * DAY_MS;
  return t.getTime() >= asTime(w.from)! && t.getTime() <= upperTime(w.to)!;
}

/** Whether the profile matches the rule at `now`. */
export function evaluateRule(node: RuleNode, facts: ProfileFacts, now: Date): boolean {
  switch (node.kind) {
    case "group": {
      const hit = node.op === "and" ? node.children.every((c) => evaluateRule(c, facts, now)) : node.children.some((c) => evaluateRule(c, facts, now));
      return node.negate ? !hit : hit;
    }
    case "trait":
      return compare(facts.traits[node.key], node, now);
    case "computed_trait":
      return compare(facts.computedTraits[node.computedTraitId], node, now);
    case "segment":
      return facts.segments.has(node.segmentId) === node.member;
    case "identifier":
      return facts.identifierTypes.has(node.identifierType) === node.present;
    case "consent":
      return (facts.consents[node.purpose] === true) === node.granted;
    case "event": {
      const matching = facts.events.filter((e) => e.event === node.event && inWindow(e.timestamp, node.window, now) && node.where.every((f) => compare(e.properties[f.property], f, now)));
      const n = matching.length;
      const { op, value } = node.count;
      if (op === "at_least" ? n < value : op === "at_most" ? n > value : n !== value) return false;
      if (!node.aggregate) return true;
      const numbers = matching.map((e) => asNumber(e.properties[node.aggregate!.property])).filter((x): x is number => x !== null);
      if (node.aggregate.fn === "avg" && numbers.length === 0) return false;
      const sum = numbers.reduce((a, b) => a + b, 0);
      return compare(node.aggregate.fn === "sum" ? sum : sum / numbers.length, node.aggregate, now);
    }
  }
}
