// The real @segment/analytics-node SDK against Tessera's tracking API and a real PostgreSQL.
import { Analytics } from "@segment/analytics-node";
import { describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/pool";
import { createTestSource, trackingServerForTests } from "@/lib/ingest/test-tracking-server";

const server = trackingServerForTests();

function sdk(writeKey: string, flushAt = 1) {
  const analytics = new Analytics({ writeKey, host: server.url, path: "/v1/batch", flushAt, flushInterval: 50, maxRetries: 2 });
  const errors: unknown[] = [];
  analytics.on("error", (e) => errors.push(e));
  return { analytics, errors };
}

async function stored(sourceId: string) {
  const { rows } = await getPool().query<{ message_id: string; type: string; event: string | null; user_id: string | null; anonymous_id: string | null; timestamp: Date; received_at: Date; raw: Record<string, string> }>(
    `SELECT message_id, type, event, user_id, anonymous_id, timestamp, received_at, raw FROM events WHERE source_id = $1 ORDER BY id`,
    [sourceId],
  );
  return rows;
}

describe("@segment/analytics-node → /v1/batch", () => {
  it("stores identify, track, page, group and alias exactly once, with corrected timestamps", async () => {
    const source = await createTestSource();
    const { analytics, errors } = sdk(source.writeKey);
    const hourAgo = new Date(Date.now() - 3600_000);
    analytics.identify({ userId: "u-1", traits: { email: "ada@example.com", plan: "pro" } });
    analytics.track({ userId: "u-1", event: "Order Completed", properties: { total: 129.9 }, timestamp: hourAgo });
    analytics.page({ anonymousId: "anon-1", name: "Pricing", properties: { url: "https://shop.example/pricing" } });
    analytics.group({ userId: "u-1", groupId: "acct-9", traits: { name: "Acme" } });
    analytics.alias({ previousId: "anon-1", userId: "u-1" });
    await analytics.closeAndFlush();
    expect(errors).toEqual([]);

    const rows = await stored(source.sourceId);
    expect(rows.map((r) => r.type).sort()).toEqual(["alias", "group", "identify", "page", "track"]);
    expect(new Set(rows.map((r) => r.message_id)).size).toBe(5);
    const track = rows.find((r) => r.type === "track")!;
    expect(track).toMatchObject({ event: "Order Completed", user_id: "u-1" });
    expect(track.raw.properties).toEqual({ total: 129.9 });
    expect(rows.find((r) => r.type === "page")).toMatchObject({ anonymous_id: "anon-1" });

    for (const r of rows) {
      // timestamp = receivedAt − (sentAt − originalTimestamp), to the millisecond.
      const expected = r.received_at.getTime() - (Date.parse(r.raw.sentAt) - Date.parse(r.raw.originalTimestamp));
      expect(r.timestamp.getTime()).toBe(expected);
      expect(r.raw.receivedAt).toBe(r.received_at.toISOString());
    }
    expect(Math.abs(track.timestamp.getTime() - hourAgo.getTime())).toBeLessThan(5000);
  });

  it("stores a batch of 1,000 messages exactly once, even when sent twice", async () => {
    const source = await createTestSource();
    const ids = Array.from({ length: 1000 }, (_, i) => `bulk-${i}`);
    for (let round = 0; round < 2; round++) {
      const { analytics, errors } = sdk(source.writeKey, 250);
      ids.forEach((messageId, i) => analytics.track({ messageId, userId: `user-${i % 37}`, event: "Product Viewed", properties: { sku: `SKU-${i}` } }));
      await analytics.closeAndFlush();
      expect(errors).toEqual([]);
    }
    const rows = await stored(source.sourceId);
    expect(rows).toHaveLength(1000);
    expect(new Set(rows.map((r) => r.message_id))).toEqual(new Set(ids));
    const { rows: batches } = await getPool().query(`SELECT sum(event_count)::int AS n FROM ingest_batches WHERE source_id = $1`, [source.sourceId]);
    expect(batches[0].n).toBe(1000); // every stored event is handed to the pipeline once
    const { rows: stats } = await getPool().query(`SELECT sum(accepted)::int AS n FROM source_minute_stats WHERE source_id = $1`, [source.sourceId]);
    expect(stats[0].n).toBe(1000);
  });
});
