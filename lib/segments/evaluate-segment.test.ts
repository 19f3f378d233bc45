import { describe, expect, it } from "vitest";
import { compare, evaluateRule, type ProfileFacts } from "@/lib/segments/evaluate-segment";
import type { Comparison, RuleGroup, RuleNode } from "@/lib/segments/segment-rule";

const NOW = new Date("2026-11-29T12:00:00Z");
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000);
const facts = (over: Partial<ProfileFacts> = {}): ProfileFacts => ({ traits: {}, identifierTypes: new Set(), events: [], computedTraits: {}, segments: new Set(), consents: {}, ...over });
const and = (...children: RuleNode[]): RuleGroup => ({ kind: "group", op: "and", negate: false, children });
const is = (value: unknown, c: Comparison) => compare(value, c, NOW);

describe("segment evaluation", () => {
  it("compares strings case-insensitively; negative operators match a missing value", () => {
    expect(is("DE", { type: "string", op: "equals", value: "de" })).toBe(true);
    expect(is("Berlin", { type: "string", op: "contains", value: "ERL" })).toBe(true);
    expect(is(42, { type: "string", op: "starts_with", value: "4" })).toBe(true);
    expect(is(undefined, { type: "string", op: "not_equals", value: "de" })).toBe(true);
    expect(is(undefined, { type: "string", op: "equals", value: "de" })).toBe(false);
    expect(is("fr", { type: "string", op: "in", values: ["DE", "FR"] })).toBe(true);
    expect(is(null, { type: "string", op: "not_in", values: ["DE"] })).toBe(true);
    expect(is({ a: 1 }, { type: "string", op: "exists" })).toBe(true);
  });

  it("reads numbers from numbers and numeric strings", () => {
    expect(is("120.5", { type: "number", op: "gt", value: 100 })).toBe(true);
    expect(is("abc", { type: "number", op: "gt", value: 100 })).toBe(false);
    expect(is(30, { type: "number", op: "between", value: 18, to: 30 })).toBe(true);
    expect(is(undefined, { type: "number", op: "neq", value: 3 })).toBe(true);
  });

  it("compares dates, with date-only upper bounds including their day and windows relative to now", () => {
    expect(is("2026-11-30T23:00:00Z", { type: "date", op: "between", value: "2026-11-01", to: "2026-11-30" })).toBe(true);
    expect(is("2026-11-30T23:00:00Z", { type: "date", op: "after", value: "2026-11-30" })).toBe(false);
    expect(is("2026-11-25T00:00:00Z", { type: "date", op: "within_last_days", days: 7 })).toBe(true);
    expect(is("2026-11-01T00:00:00Z", { type: "date", op: "within_last_days", days: 7 })).toBe(false);
    expect(is("2026-12-03T00:00:00Z", { type: "date", op: "within_next_days", days: 7 })).toBe(true);
    expect(is("next week", { type: "date", op: "before", value: "2027-01-01" })).toBe(false);
  });

  it("counts events in a window with property filters, and checks sums and averages", () => {
    const orders = [3, 10, 40].map((d, i) => ({ event: "Order Completed", timestamp: daysAgo(d), properties: { total: [150, 80, 300][i] } }));
    const f = facts({ events: [...orders, { event: "Page Viewed", timestamp: daysAgo(1), properties: {} }] });
    const bigOrders = (op: "at_least" | "at_most" | "exactly", value: number, days = 30): RuleNode => ({
      kind: "event",
      event: "Order Completed",
      count: { op, value },
      window: { type: "last_days", days },
      where: [{ property: "total", type: "number", op: "gt", value: 100 }],
    });
    expect(evaluateRule(and(bigOrders("at_least", 1)), f, NOW)).toBe(true); // only the 150 one is recent and big
    expect(evaluateRule(and(bigOrders("at_least", 2)), f, NOW)).toBe(false);
    expect(evaluateRule(and(bigOrders("at_least", 2, 60)), f, NOW)).toBe(true);
    expect(evaluateRule(and(bigOrders("exactly", 0, 2)), f, NOW)).toBe(true); // not performed in the last 2 days
    const spent = (fn: "sum" | "avg", value: number): RuleNode => ({
      kind: "event",
      event: "Order Completed",
      count: { op: "at_least", value: 0 },
      window: { type: "ever" },
      where: [],
      aggregate: { fn, property: "total", type: "number", op: "gte", value },
    });
    expect(evaluateRule(and(spent("sum", 530)), f, NOW)).toBe(true);
    expect(evaluateRule(and(spent("avg", 177)), f, NOW)).toBe(false);
    expect(evaluateRule(and(spent("avg", 0)), facts(), NOW)).toBe(false); // no events: no average
    expect(evaluateRule(and(spent("sum", 0)), facts(), NOW)).toBe(true); // no events: the sum is 0
  });

  it("combines groups with AND, OR and NOT, and tests identifiers, segments and consent", () => {
    const f = facts({ traits: { country: "DE" }, identifierTypes: new Set(["email"]), segments: new Set(["s1"]), consents: { marketing: true } });
    const de: RuleNode = { kind: "trait", key: "country", type: "string", op: "equals", value: "DE" };
    const phone: RuleNode = { kind: "identifier", identifierType: "phone", present: true };
    expect(evaluateRule({ kind: "group", op: "or", negate: false, children: [de, phone] }, f, NOW)).toBe(true);
    expect(evaluateRule({ kind: "group", op: "and", negate: false, children: [de, phone] }, f, NOW)).toBe(false);
    expect(evaluateRule({ kind: "group", op: "and", negate: true, children: [de, phone] }, f, NOW)).toBe(true);
    expect(evaluateRule(and({ kind: "segment", segmentId: "s1", member: true }, { kind: "consent", purpose: "marketing", granted: true }, { kind: "consent", purpose: "ads", granted: false }), f, NOW)).toBe(true);
  });
});
