// The in-memory evaluator of a segment rule: does one profile match? Used for the incremental check
// of the profiles a pipeline batch touched. The SQL compiler must give the same answer for every
// rule and profile (a property-based test holds them to it), so the semantics live here, spelled out:
// - Strings compare case-insensitively; numbers and booleans compare by their text there too.
// - Negative operators (not_equals, not_in, neq) also match a profile without the value.
// - Numbers are JSON numbers or numeric strings; dates are ISO strings. A date-only upper bound
//   ("2026-11-30") includes that whole day; a time without an offset is UTC. Impossible dates
//   (2026-02-30) are not dates.
// - "In the last N days" (event windows) means N calendar days in UTC, today included: from the
//   start of the day N - 1 days ago. So windows move at midnight UTC, and daily pre-aggregated
//   counts (profile_event_days) give exactly the same answer as the events themselves.
// - An event condition counts the events of that name inside the window whose properties pass every
//   filter, then compares the count; with an aggregate, the sum (0 without events) or the average
//   (no match without events) of the property over those events must pass as well.
import type { Comparison, EventWindow, RuleNode } from "@/lib/segments/segment-rule";
import { asNumber, asText, asTime, DAY_MS, present, upperTime } from "@/lib/segments/segment-values";

export interface ProfileFacts {
  traits: Record<string, unknown>;
  /** Identifier types the profile holds. */
  identifierTypes: Set<string>;
  /** With `count`, an entry stands for that many events on the UTC day starting at `timestamp`
   *  (a row of profile_event_days; only for conditions that need no property). */
  events: { event: string | null; timestamp: Date; properties: Record<string, unknown>; count?: number }[];
  computedTraits: Record<string, unknown>;
  /** Segments the profile is currently in. */
  segments: Set<string>;
  /** Consent per purpose (true: granted). */
  consents: Record<string, boolean>;
}

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

/** Where a "last N days" window starts: midnight UTC, N - 1 days before today. */
export function windowStart(days: number, now: Date): number {
  return Math.floor(now.getTime() / DAY_MS) * DAY_MS - (days - 1) * DAY_MS;
}

function inWindow(t: Date, w: EventWindow, now: Date): boolean {
  if (w.type === "ever") return true;
  if (w.type === "last_days") return t.getTime() >= windowStart(w.days, now);
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
      const n = matching.reduce((sum, e) => sum + (e.count ?? 1), 0);
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

/**
 * The rule's outcome from the profile's traits, identifiers, computed traits and consents alone:
 * true or false when no event history and no membership of another segment can change it (AND
 * with a false part, OR with a true part), null when they can. The incremental check loads events
 * only for the profiles left undecided: most rules combine traits with behaviour, and most
 * profiles fail the traits.
 */
export function decidedWithoutEvents(node: RuleNode, facts: ProfileFacts, now: Date): boolean | null {
  switch (node.kind) {
    case "group": {
      const outcomes = node.children.map((c) => decidedWithoutEvents(c, facts, now));
      const decisive = node.op === "and" ? false : true;
      const hit = outcomes.includes(decisive) ? decisive : outcomes.includes(null) ? null : !decisive;
      return hit === null ? null : node.negate ? !hit : hit;
    }
    case "event":
    case "segment":
      return null;
    default:
      return evaluateRule(node, facts, now);
  }
}
