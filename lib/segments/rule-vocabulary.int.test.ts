// The builder's vocabulary against a real PostgreSQL, from events the real pipeline processed:
// event names (from the per-day counts' index, not the events), property keys with types and
// examples, trait keys, identifier types, segments and computed traits, masking and tenancy.
import { beforeAll, describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/pool";
import { createTestSource, trackingServerForTests } from "@/lib/ingest/test-tracking-server";
import { drainPipeline } from "@/lib/pipeline/process-pipeline-batch";
import { EVENT_NAMES_SQL, ruleVocabulary } from "@/lib/segments/rule-vocabulary";
import { insertComputedTrait, insertSegment, SIMPLE_RULE } from "@/lib/segments/segment-test-data";

const server = trackingServerForTests();
const at = (minute: number) => new Date(Date.UTC(2026, 10, 1, 10, minute)).toISOString();

let A: Awaited<ReturnType<typeof createTestSource>>;
let B: Awaited<ReturnType<typeof createTestSource>>;
const ids: Record<string, string> = {};

beforeAll(async () => {
  A = await createTestSource();
  B = await createTestSource();
  await server.send(A.writeKey, [
    { type: "identify", messageId: "i1", userId: "u1", traits: { name: "Ann", email: "ann@example.com", country: "DE", age: 31, vip: true, signed_up: "2026-01-15" }, timestamp: at(1) },
    { type: "identify", messageId: "i2", userId: "u2", traits: { country: "CH", age: 45 }, timestamp: at(2) },
    { type: "track", messageId: "t1", userId: "u1", event: "Order Completed", properties: { total: 120.5, currency: "EUR", paid_at: "2026-11-01T10:00:00Z" }, timestamp: at(3) },
    { type: "track", messageId: "t2", userId: "u2", event: "Order Completed", properties: { total: 64, currency: "EUR", coupon: "WELCOME" }, timestamp: at(4) },
    { type: "track", messageId: "t3", userId: "u2", event: "Product Viewed", properties: { sku: "SKU-1", contact_email: "bob@example.com" }, timestamp: at(5) },
    { type: "page", messageId: "p1", userId: "u2", name: "Home", timestamp: at(6) },
    { type: "track", messageId: "t4", anonymousId: "anon-1", event: "App Opened", timestamp: at(7) },
  ]);
  await server.send(B.writeKey, [{ type: "track", messageId: "b1", userId: "x", event: "Secret Event", properties: { secret: 1 }, traits: { hidden: "yes" }, timestamp: at(1) }]);
  await drainPipeline();
  ids.seg = await insertSegment(A.workspaceId, { name: "Germans", rule: SIMPLE_RULE });
  ids.ct = await insertComputedTrait(A.workspaceId, "Orders, 30 days", "orders_30d");
  await insertSegment(B.workspaceId, { name: "B only", rule: SIMPLE_RULE });
});

describe("ruleVocabulary", () => {
  it("offers the workspace's event names with their property keys, types and examples", async () => {
    const v = await ruleVocabulary({ workspaceId: A.workspaceId, canSeePii: true });
    expect(v.events.map((e) => e.name)).toEqual(["App Opened", "Order Completed", "Product Viewed"]);
    expect(v.eventsTruncated).toBe(false);
    const order = v.events.find((e) => e.name === "Order Completed")!;
    expect(order.properties).toEqual([
      { key: "currency", type: "string", examples: ["EUR"], seen: 2 },
      { key: "total", type: "number", examples: ["120.5", "64"], seen: 2 },
      { key: "coupon", type: "string", examples: ["WELCOME"], seen: 1 },
      { key: "paid_at", type: "date", examples: ["2026-11-01T10:00:00Z"], seen: 1 },
    ]);
    expect(v.events.find((e) => e.name === "App Opened")!.properties).toEqual([]);
  });

  it("offers trait keys with types and examples, identifier types, segments and computed traits", async () => {
    const v = await ruleVocabulary({ workspaceId: A.workspaceId, canSeePii: true });
    const trait = (key: string) => v.traits.find((t) => t.key === key);
    expect(trait("country")).toEqual({ key: "country", type: "string", examples: ["CH", "DE"], seen: 2 });
    expect(trait("age")).toMatchObject({ type: "number", seen: 2 });
    expect(trait("vip")).toMatchObject({ type: "boolean", examples: ["true"] });
    expect(trait("signed_up")).toMatchObject({ type: "date" });
    expect(trait("email")).toMatchObject({ type: "string", examples: ["ann@example.com"] });
    const types = v.identifierTypes.filter((t) => t.observed).map((t) => t.type).sort();
    expect(types).toEqual(["anonymous_id", "email", "user_id"]);
    expect(v.identifierTypes.find((t) => t.type === "phone")).toEqual({ type: "phone", label: "Phone", observed: false });
    expect(v.segments).toEqual([{ id: ids.seg, name: "Germans" }]);
    expect(v.computedTraits).toEqual([{ id: ids.ct, name: "Orders, 30 days", key: "orders_30d" }]);
  });

  it("masks contact details in examples for readers without PII access", async () => {
    const v = await ruleVocabulary({ workspaceId: A.workspaceId });
    expect(v.traits.find((t) => t.key === "email")?.examples).toEqual(["a•••@example.com"]);
    const viewed = v.events.find((e) => e.name === "Product Viewed")!;
    expect(viewed.properties.find((p) => p.key === "contact_email")?.examples).toEqual(["b•••@example.com"]);
    expect(v.traits.find((t) => t.key === "country")?.examples).toEqual(["CH", "DE"]);
  });

  it("never shows another workspace's data", async () => {
    const v = await ruleVocabulary({ workspaceId: A.workspaceId, canSeePii: true });
    expect(JSON.stringify(v)).not.toMatch(/Secret Event|B only|hidden/);
    const b = await ruleVocabulary({ workspaceId: B.workspaceId, canSeePii: true });
    expect(b.events.map((e) => e.name)).toEqual(["Secret Event"]);
  });

  it("reads event names through the per-day counts' index, one probe per name", async () => {
    const client = await getPool().connect();
    try {
      // With a handful of rows the planner would rightly prefer a sequential scan; at scale it must not.
      await client.query("SET enable_seqscan = off");
      const { rows } = await client.query<{ "QUERY PLAN": string }>(
        `EXPLAIN ${EVENT_NAMES_SQL}`,
        [A.workspaceId, 500],
      );
      const plan = rows.map((r) => r["QUERY PLAN"]).join("\n");
      expect(plan).toMatch(/Index Only Scan using profile_event_days_workspace_id_event_day_profile_id_count_idx/);
      expect(plan).not.toMatch(/Sort|Seq Scan/);
    } finally {
      await client.query("RESET enable_seqscan");
      client.release();
    }
  });
});
