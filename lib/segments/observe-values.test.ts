import { describe, expect, it } from "vitest";
import { observeKeys, valueTypeOf } from "@/lib/segments/observe-values";

describe("valueTypeOf", () => {
  it("reads numbers, booleans, ISO dates and text; nothing for objects and null", () => {
    expect([42, 1.5, true, "2026-11-29", "2026-11-29T10:00:00Z", "2026-02-30", "DE", "42"].map(valueTypeOf)).toEqual(["number", "number", "boolean", "date", "date", "string", "string", "string"]);
    expect([null, undefined, {}, [], Number.NaN].map(valueTypeOf)).toEqual([null, null, null, null, null]);
  });
});

describe("observeKeys", () => {
  it("gives each key its most common type and its most frequent examples, most seen keys first", () => {
    const keys = observeKeys([
      { total: 120.5, currency: "EUR", paid: true, at: "2026-11-01" },
      { total: 64, currency: "EUR", coupon: null },
      { total: "n/a", currency: "CHF", nested: { a: 1 } },
      "not a record",
    ]);
    expect(keys).toEqual([
      { key: "currency", type: "string", examples: ["EUR", "CHF"], seen: 3 },
      { key: "total", type: "number", examples: ["120.5", "64", "n/a"], seen: 3 },
      { key: "at", type: "date", examples: ["2026-11-01"], seen: 1 },
      { key: "paid", type: "boolean", examples: ["true"], seen: 1 },
    ]);
  });

  it("bounds examples and keys, and lets the caller mask example values", () => {
    const records = Array.from({ length: 30 }, (_, i) => ({ [`k${i % 12}`]: `v${i}`, email: `p${i}@x.io` }));
    const keys = observeKeys(records, { maxKeys: 3, maxExamples: 2, show: (key, v) => (key === "email" ? `${v[0]}•••` : v) });
    expect(keys).toHaveLength(3);
    expect(keys[0]).toMatchObject({ key: "email", seen: 30, examples: ["p•••"] });
    expect(keys[1].examples).toHaveLength(2);
  });
});
