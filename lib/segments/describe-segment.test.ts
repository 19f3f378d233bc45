import { describe, expect, it } from "vitest";
import { describeSegment } from "@/lib/segments/describe-segment";
import type { RuleNode } from "@/lib/segments/segment-rule";

const orders: RuleNode = { kind: "event", event: "Order Completed", count: { op: "at_least", value: 2 }, window: { type: "last_days", days: 30 }, where: [] };
const germany: RuleNode = { kind: "trait", key: "country", type: "string", op: "equals", value: "DE" };

describe("segment definitions in words", () => {
  it("reads like the issue's example", () => {
    expect(describeSegment({ kind: "group", op: "and", negate: false, children: [orders, germany] })).toBe(
      "People who performed Order Completed at least 2 times in the last 30 days and whose country is DE",
    );
  });

  it("brackets nested groups, says NOT, names referenced segments and flags deleted ones", () => {
    const rule: RuleNode = {
      kind: "group",
      op: "and",
      negate: false,
      children: [
        { kind: "group", op: "or", negate: false, children: [germany, { kind: "trait", key: "age", type: "number", op: "between", value: 18, to: 30 }] },
        { kind: "group", op: "or", negate: true, children: [{ kind: "identifier", identifierType: "user_id", present: true }] },
        { kind: "segment", segmentId: "s1", member: false },
        { kind: "segment", segmentId: "gone", member: true },
        { kind: "event", event: "Cart Viewed", count: { op: "exactly", value: 0 }, window: { type: "last_days", days: 7 }, where: [{ property: "value", type: "number", op: "gt", value: 1000 }] },
        { kind: "event", event: "Order Completed", count: { op: "at_least", value: 1 }, window: { type: "ever" }, where: [], aggregate: { fn: "sum", property: "total", type: "number", op: "gte", value: 1500 } },
      ],
    };
    expect(describeSegment(rule, { segments: { s1: "Newsletter" } })).toBe(
      "People (whose country is DE or whose age is between 18 and 30) and not (who have user id) and who are not in Newsletter and who are in a deleted segment" +
        " and who did not perform Cart Viewed in the last 7 days where value is more than 1,000 and who performed Order Completed (the sum of total is at least 1,500)",
    );
  });
});
