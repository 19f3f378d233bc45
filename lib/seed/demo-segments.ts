// The demo workspace's example audiences, over the synthetic population's real events and traits.
// Created once (by name); they fill as the pipeline resolves the demo events.
import { getPool } from "@/lib/db/pool";
import { createSegment } from "@/lib/segments/save-segment";
import type { RuleGroup } from "@/lib/segments/segment-rule";

const orders = (count: { op: "at_least" | "at_most" | "exactly"; value: number }, window: { type: "ever" } | { type: "last_days"; days: number }) => ({ kind: "event" as const, event: "Order Completed", count, window, where: [] });

export const DEMO_SEGMENTS: { name: string; description: string; rule: RuleGroup }[] = [
  {
    name: "High-value customers",
    description: "Spent $400 or more in total, or pay for a higher plan and ordered this month.",
    rule: {
      kind: "group",
      op: "or",
      negate: false,
      children: [
        { ...orders({ op: "at_least", value: 1 }, { type: "ever" }), aggregate: { fn: "sum", property: "total", type: "number", op: "gte", value: 400 } },
        { kind: "group", op: "and", negate: false, children: [{ kind: "trait", key: "plan", type: "string", op: "in", values: ["plus", "premium"] }, orders({ op: "at_least", value: 1 }, { type: "last_days", days: 30 })] },
      ],
    },
  },
  {
    name: "Cart abandoners last 7 days",
    description: "Added a product to the cart in the last 7 days but did not order.",
    rule: {
      kind: "group",
      op: "and",
      negate: false,
      children: [{ kind: "event", event: "Product Added", count: { op: "at_least", value: 1 }, window: { type: "last_days", days: 7 }, where: [] }, orders({ op: "exactly", value: 0 }, { type: "last_days", days: 7 })],
    },
  },
  {
    name: "Lapsed loyalty members",
    description: "Loyalty card holders without an order in the last 30 days.",
    rule: { kind: "group", op: "and", negate: false, children: [{ kind: "trait", key: "loyalty_id", type: "string", op: "exists" }, orders({ op: "exactly", value: 0 }, { type: "last_days", days: 30 })] },
  },
];

export async function seedDemoSegments(workspaceId: string) {
  const { rows } = await getPool().query<{ name: string }>(`SELECT name FROM segments WHERE workspace_id = $1`, [workspaceId]);
  const existing = new Set(rows.map((r) => r.name));
  for (const s of DEMO_SEGMENTS) {
    if (!existing.has(s.name)) await createSegment({ workspaceId, userId: null, ...s });
  }
}
