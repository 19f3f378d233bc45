import { describe, expect, it } from "vitest";
import { traitKeyFromName } from "@/lib/profiles/trait-key";
import { computedTraitDefinitionSchema, computedTraitValueType, describeComputedTrait, isWindowed } from "@/lib/computed-traits/computed-trait-definition";

const parse = (d: unknown) => computedTraitDefinitionSchema.safeParse(d);
const problems = (d: unknown) => {
  const r = parse(d);
  return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [i.path.join("."), i.message]));
};

describe("computed trait definitions", () => {
  it("accepts each function and keeps one canonical shape", () => {
    expect(parse({ fn: "count", event: " Order Completed ", property: "total", window: { type: "ever" }, where: [] }).data).toEqual({ fn: "count", event: "Order Completed", window: { type: "ever" } });
    expect(parse({ fn: "most_frequent", event: "Page Viewed", property: "path", window: { type: "last_days", days: 7 } }).success).toBe(true);
    expect(parse({ fn: "sum", event: "Order Completed", property: "total", window: { type: "between", from: "2026-01-01", to: "2026-01-31T12:00:00Z" } }).success).toBe(true);
  });

  it("says what is wrong, field by field", () => {
    expect(problems({ fn: "median", event: "X", window: { type: "ever" } })).toEqual({ fn: expect.stringContaining("Pick what to compute") });
    expect(problems({ fn: "avg", event: "X", window: { type: "ever" } })).toEqual({ property: "Enter the property to take the average of." });
    expect(problems({ fn: "count", event: "X", window: { type: "last_days", days: 1.5 } })).toEqual({ "window.days": "Use whole days." });
    expect(problems({ fn: "count", event: "X", window: { type: "between", from: "2026-03-01", to: "2026-02-01" } })).toEqual({ "window.to": "The end date is before the start date." });
    expect(problems({ fn: "count", event: "X", window: { type: "soon" } })).toEqual({ "window.type": expect.stringContaining("Pick a time window") });
    expect(problems({ fn: "count", event: "X", window: { type: "ever" }, where: [{ property: "d", type: "date", op: "before", value: "2026-01-01" }] })).toEqual({ "where.0.type": "Pick string, number or boolean." });
    expect(problems({ fn: "count", event: "X", window: { type: "ever" }, where: [{ property: "n", type: "number", op: "between", value: 5, to: 1 }] })).toEqual({ "where.0.to": "The upper bound is below the lower bound." });
  });

  it("describes a definition in words and knows its value type", () => {
    const d = parse({ fn: "last", event: "Plan Changed", property: "plan", window: { type: "last_days", days: 90 }, where: [{ property: "source", type: "string", op: "in", values: ["web", "app"] }] }).data!;
    expect(describeComputedTrait(d)).toBe("Last plan of Plan Changed in the last 90 days, where source is web or app");
    expect(describeComputedTrait({ fn: "count", event: "Login", window: { type: "last_days", days: 1 } })).toBe("Count of Login today");
    expect(describeComputedTrait({ fn: "max", event: "Order Completed", property: "total", window: { type: "between", from: "2026-01-01", to: "2026-03-31" } })).toBe("Maximum of total over Order Completed between 2026-01-01 and 2026-03-31");
    expect(computedTraitValueType({ fn: "avg" })).toBe("number");
    expect(computedTraitValueType({ fn: "most_frequent" })).toBe("string");
    expect(isWindowed(d)).toBe(true);
  });

  it("makes keys from names", () => {
    expect(traitKeyFromName("Orders in the last 30 days!", "ct")).toBe("orders_in_the_last_30_days");
    expect(traitKeyFromName("  Crème brûlée fans  ", "ct")).toBe("creme_brulee_fans");
    expect(traitKeyFromName("7-day logins", "ct")).toBe("ct_7_day_logins");
    expect(traitKeyFromName("???", "ct")).toBe("");
    expect(traitKeyFromName("x".repeat(100), "ct")).toHaveLength(64);
  });
});
