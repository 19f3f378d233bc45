// Time in segments: strict ISO dates, "last N days" as whole UTC days, and which rules the clock
// alone can change (the sweep re-evaluates only those).
import { describe, expect, it } from "vitest";
import { usesDailyCounts } from "@/lib/segments/compile-segment";
import { windowStart } from "@/lib/segments/evaluate-segment";
import { eventNeeds } from "@/lib/segments/load-profile-facts";
import type { RuleCondition, RuleGroup } from "@/lib/segments/segment-rule";
import { asTime, upperTime } from "@/lib/segments/segment-values";
import { dependsOnClock } from "@/lib/segments/sweep-segments";

const event = (over: Partial<Extract<RuleCondition, { kind: "event" }>> = {}): Extract<RuleCondition, { kind: "event" }> => ({ kind: "event", event: "Order Completed", count: { op: "at_least", value: 1 }, window: { type: "last_days", days: 7 }, where: [], ...over });
const and = (...children: RuleGroup["children"]): RuleGroup => ({ kind: "group", op: "and", negate: false, children });

describe("dates", () => {
  it("reads ISO dates strictly: impossible days, hour 24 and offsets beyond ±14:59 are not dates; no offset means UTC", () => {
    expect(asTime("2026-11-29")).toBe(Date.UTC(2026, 10, 29));
    expect(asTime("2026-11-29T10:00")).toBe(Date.UTC(2026, 10, 29, 10));
    expect(asTime("2026-11-29T10:00:00+02:00")).toBe(Date.UTC(2026, 10, 29, 8));
    expect(asTime("2024-02-29")).not.toBeNull();
    for (const bad of ["2026-02-29", "2026-02-30", "2026-13-01", "2026-11-29T24:00:00Z", "2026-11-29T10:00+15:00", "0999-01-01", "29.11.2026", "2026-11-29T10:00:00.1234Z", 20261129]) expect(asTime(bad), String(bad)).toBeNull();
    expect(upperTime("2026-11-29")).toBe(Date.UTC(2026, 10, 30) - 1);
    expect(upperTime("2026-11-29T10:00:00Z")).toBe(Date.UTC(2026, 10, 29, 10));
  });

  it("starts 'the last N days' at midnight UTC N - 1 days before today", () => {
    const now = new Date("2026-11-29T15:30:00Z");
    expect(new Date(windowStart(1, now)).toISOString()).toBe("2026-11-29T00:00:00.000Z");
    expect(new Date(windowStart(7, now)).toISOString()).toBe("2026-11-23T00:00:00.000Z");
    expect(new Date(windowStart(7, new Date("2026-11-29T23:59:59.999Z"))).toISOString()).toBe("2026-11-23T00:00:00.000Z");
  });
});

describe("which data a condition needs", () => {
  it("answers plain counts over whole days from the daily counts, anything else from the events", () => {
    expect(usesDailyCounts(event())).toBe(true);
    expect(usesDailyCounts(event({ window: { type: "between", from: "2026-11-01", to: "2026-11-29" } }))).toBe(true);
    expect(usesDailyCounts(event({ window: { type: "between", from: "2026-11-01T12:00:00Z", to: "2026-11-29" } }))).toBe(false);
    expect(usesDailyCounts(event({ where: [{ property: "total", type: "number", op: "gt", value: 100 }] }))).toBe(false);
    expect(usesDailyCounts(event({ aggregate: { fn: "sum", property: "total", type: "number", op: "gt", value: 100 } }))).toBe(false);
  });

  it("loads an event name as events when any rule needs its properties, from the earliest window", () => {
    const now = new Date("2026-11-29T15:30:00Z");
    const { raw, daily } = eventNeeds([and(event({ window: { type: "last_days", days: 30 } }), event({ event: "Page Viewed" })), and(event({ where: [{ property: "total", type: "number", op: "gt", value: 1 }] }))], now);
    expect([...daily.keys()]).toEqual(["Page Viewed"]);
    expect(new Date(raw.get("Order Completed")!).toISOString()).toBe("2026-10-31T00:00:00.000Z");
    expect(eventNeeds([and(event({ window: { type: "ever" } }), event({ where: [{ property: "total", type: "number", op: "gt", value: 1 }] }))], now).raw.get("Order Completed")).toBeNull();
  });
});

describe("the sweep", () => {
  it("re-evaluates only rules the clock can change", () => {
    expect(dependsOnClock(and(event()))).toBe(true);
    expect(dependsOnClock(and(event({ window: { type: "ever" } })))).toBe(false);
    expect(dependsOnClock(and(event({ window: { type: "between", from: "2026-11-01", to: "2026-11-29" } })))).toBe(false);
    expect(dependsOnClock(and({ kind: "trait", key: "signup", type: "date", op: "within_last_days", days: 7 }))).toBe(true);
    expect(dependsOnClock(and({ kind: "trait", key: "signup", type: "date", op: "before", value: "2026-01-01" }))).toBe(false);
    expect(dependsOnClock(and({ kind: "computed_trait", computedTraitId: "00000000-0000-4000-8000-000000000000", type: "number", op: "gt", value: 1 }))).toBe(true);
  });
});
