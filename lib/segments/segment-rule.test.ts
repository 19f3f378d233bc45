import { describe, expect, it } from "vitest";
import { parseSegmentRule, referencedSegments, SEGMENT_LIMITS, type RuleNode } from "@/lib/segments/segment-rule";

const SEG = "7d5f8a40-51b6-4b7e-9d0c-3c2f8f0b6a11";
const country = { kind: "trait", key: "country", type: "string", op: "equals", value: "DE" };
const orders = { kind: "event", event: "Order Completed", count: { op: "at_least", value: 2 }, window: { type: "last_days", days: 30 }, where: [{ property: "total", type: "number", op: "gt", value: 100 }] };
const group = (op: "and" | "or", children: unknown[], negate = false) => ({ kind: "group", op, negate, children });
const problems = (input: unknown) => {
  const r = parseSegmentRule(input);
  if (r.ok) throw new Error("expected problems");
  return r.problems;
};

describe("segment rules", () => {
  it("accepts a nested tree with every kind of condition", () => {
    const rule = group("and", [
      country,
      orders,
      group("or", [
        { kind: "trait", key: "age", type: "number", op: "between", value: 18, to: 30 },
        { kind: "trait", key: "signed_up", type: "date", op: "within_last_days", days: 7 },
        group("and", [{ kind: "trait", key: "vip", type: "boolean", op: "is_true" }, { kind: "identifier", identifierType: "email", present: true }], true),
      ]),
      { kind: "event", event: "Order Completed", count: { op: "at_least", value: 1 }, window: { type: "ever" }, where: [], aggregate: { fn: "sum", property: "total", type: "number", op: "gte", value: 500 } },
      { kind: "segment", segmentId: SEG, member: false },
      { kind: "consent", purpose: "marketing", granted: true },
      { kind: "computed_trait", computedTraitId: SEG, type: "number", op: "gt", value: 3 },
    ]);
    const r = parseSegmentRule(rule);
    expect(r.ok).toBe(true);
    if (r.ok) expect(referencedSegments(r.rule)).toEqual([SEG]);
  });

  it("says what is wrong and where", () => {
    expect(problems(group("and", [{ ...country, op: "gt" }]))).toEqual([
      { path: ["children", 0, "op"], message: '"gt" is not an operator for string values (use one of equals, not_equals, contains, starts_with, in, not_in, exists, not_exists).' },
    ]);
    expect(problems(group("and", [{ kind: "trait", key: "age", type: "number", op: "between", value: 40, to: 30 }]))).toEqual([{ path: ["children", 0, "to"], message: "The upper bound is below the lower bound." }]);
    expect(problems(group("and", [{ ...orders, window: { type: "last_days", days: 0 } }]))).toEqual([{ path: ["children", 0, "window", "days"], message: "Use at least 1 day." }]);
    expect(problems(group("and", [{ kind: "trait", key: " ", type: "date", op: "before", value: "yesterday" }])).map((p) => p.message)).toEqual(["Enter a trait.", "Use a date like 2026-11-29."]);
    expect(problems(group("or", []))).toEqual([{ path: ["children"], message: "A group needs at least one condition." }]);
    expect(problems(group("and", [{ kind: "mystery" }]))[0].message).toBe("Unknown kind of condition.");
    expect(problems(country)).toEqual([{ path: [], message: "A segment's rule starts with a group." }]);
    expect(problems(group("and", [{ ...orders, aggregate: { fn: "sum", property: "total", type: "string", op: "equals", value: "x" } }]))[0].message).toBe("Sums and averages compare numbers.");
  });

  it("refuses trees beyond the depth and size limits before validating them", () => {
    let deep: unknown = country;
    for (let i = 0; i < SEGMENT_LIMITS.maxDepth + 1; i++) deep = group("and", [deep]);
    expect(problems(deep)[0].message).toBe(`Groups can be nested ${SEGMENT_LIMITS.maxDepth} levels deep at most.`);
    let ok: unknown = country;
    for (let i = 0; i < SEGMENT_LIMITS.maxDepth; i++) ok = group("and", [ok]);
    expect(parseSegmentRule(ok).ok).toBe(true);
    const huge = group("or", Array.from({ length: SEGMENT_LIMITS.maxConditions + 1 }, () => country));
    expect(problems(huge)).toEqual([{ path: [], message: `A segment can have ${SEGMENT_LIMITS.maxConditions} conditions at most (this one has ${SEGMENT_LIMITS.maxConditions + 1}).` }]);
  });

  it("defaults a group to not negated", () => {
    const r = parseSegmentRule({ kind: "group", op: "and", children: [country] });
    expect(r.ok && (r.rule as RuleNode & { negate: boolean }).negate).toBe(false);
  });
});
