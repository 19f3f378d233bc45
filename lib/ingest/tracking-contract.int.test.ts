// The status codes, auth forms, CORS and settings endpoint of the tracking contract, over HTTP.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/pool";
import { pruneDedupeWindow } from "@/lib/ingest/dedupe-window";
import { EventWriter } from "@/lib/ingest/event-writer";
import { handleTrackingRequest } from "@/lib/ingest/handle-tracking-request";
import { forgetWriteKeys } from "@/lib/ingest/resolve-write-key";
import { WriteKeyRateLimiter } from "@/lib/ingest/write-key-rate-limit";
import { createTestSource, trackingServerForTests } from "@/lib/ingest/test-tracking-server";
import { rotateWriteKey } from "@/lib/sources/rotate-write-key";
import { updateSource } from "@/lib/sources/update-source";

const server = trackingServerForTests();

const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString("base64")}`;

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : null };
}

async function count(sourceId: string, where = "true") {
  const { rows } = await getPool().query(`SELECT count(*)::int AS n FROM events WHERE source_id = $1 AND ${where}`, [sourceId]);
  return rows[0].n as number;
}

describe("tracking API contract", () => {
  it("accepts all three auth forms and every long and short route", async () => {
    const s = await createTestSource();
    const msg = (type: string) => ({ userId: "u", anonymousId: "a", event: "E", groupId: "g", previousId: "p", type });
    expect((await post("/v1/track", msg("track"), { Authorization: basic(s.writeKey) })).status).toBe(200);
    expect((await post("/v1/t", { ...msg("track"), writeKey: s.writeKey })).status).toBe(200);
    expect((await post("/v1/identify", { ...msg("identify"), writeKey: s.writeKey }, { Authorization: "Bearer any-token" })).status).toBe(200);
    for (const path of ["/v1/i", "/v1/p", "/v1/s", "/v1/g", "/v1/a", "/v1/page", "/v1/screen", "/v1/group", "/v1/alias"]) {
      expect((await post(path, msg("ignored"), { Authorization: basic(s.writeKey) })).status, path).toBe(200);
    }
    for (const path of ["/v1/batch", "/v1/import", "/v1/b"]) {
      expect((await post(path, { writeKey: s.writeKey, batch: [msg("track"), msg("identify")] })).status, path).toBe(200);
    }
    expect(await count(s.sourceId)).toBe(3 + 9 + 6);
    expect(await count(s.sourceId, "type = 'screen'")).toBe(2);
  });

  it("parses text/plain bodies like analytics.js sends them", async () => {
    const s = await createTestSource();
    const res = await fetch(`${server.url}/v1/t`, { method: "POST", headers: { "Content-Type": "text/plain" }, body: JSON.stringify({ writeKey: s.writeKey, anonymousId: "a", event: "Clicked" }) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ success: true });
    expect(await count(s.sourceId)).toBe(1);
  });

  it("answers 401 for a missing, unknown or disabled key", async () => {
    const s = await createTestSource();
    expect((await post("/v1/track", { userId: "u", event: "E" })).json.error.code).toBe("missing_write_key");
    expect((await post("/v1/track", { userId: "u", event: "E" }, { Authorization: basic("nope") })).status).toBe(401);
    await updateSource({ workspaceId: s.workspaceId, sourceId: s.sourceId, enabled: false });
    forgetWriteKeys();
    const disabled = await post("/v1/track", { userId: "u", event: "E" }, { Authorization: basic(s.writeKey) });
    expect(disabled.status).toBe(401);
    expect(disabled.json.error.code).toBe("source_disabled");
    expect(await count(s.sourceId)).toBe(0);
  });

  it("keeps a rotated key working for the grace period, then answers 401", async () => {
    const s = await createTestSource();
    const fresh = await rotateWriteKey({ workspaceId: s.workspaceId, sourceId: s.sourceId, graceHours: 1 });
    forgetWriteKeys();
    expect((await post("/v1/track", { userId: "u", event: "E" }, { Authorization: basic(s.writeKey) })).status).toBe(200);
    expect((await post("/v1/track", { userId: "u", event: "E" }, { Authorization: basic(fresh.key) })).status).toBe(200);
    await getPool().query(`UPDATE source_write_keys SET expires_at = now() - interval '1 second' WHERE key = $1`, [s.writeKey]);
    forgetWriteKeys();
    expect((await post("/v1/track", { userId: "u", event: "E" }, { Authorization: basic(s.writeKey) })).status).toBe(401);
    expect((await post("/v1/track", { userId: "u", event: "E" }, { Authorization: basic(fresh.key) })).status).toBe(200);
  });

  it("answers 413 for oversize bodies and 400 for too many messages, storing nothing", async () => {
    const s = await createTestSource();
    const big = await post("/v1/track", { userId: "u", event: "E", blob: "x".repeat(40_000) }, { Authorization: basic(s.writeKey) });
    expect(big.status).toBe(413);
    expect(big.json.error.field).toBe("body");
    const huge = await post("/v1/batch", { batch: [{ type: "track", userId: "u", event: "E", blob: "x".repeat(600_000) }] }, { Authorization: basic(s.writeKey) });
    expect(huge.status).toBe(413);
    const many = await post("/v1/batch", { batch: Array.from({ length: 2501 }, () => ({ type: "track", userId: "u", event: "E" })) }, { Authorization: basic(s.writeKey) });
    expect(many.status).toBe(400);
    expect(many.json.error.field).toBe("batch");
    expect(await count(s.sourceId)).toBe(0);
  });

  it("stores the good messages of a batch and names the bad ones, which the debugger can show", async () => {
    const s = await createTestSource();
    const batch = Array.from({ length: 500 }, (_, i) => ({ type: "track", userId: `u${i}`, event: "E", messageId: `m${i}` }));
    batch[123] = { type: "track", userId: "u", messageId: "bad" } as (typeof batch)[number];
    const res = await post("/v1/batch", { batch }, { Authorization: basic(s.writeKey) });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ field: "batch[123].event", accepted: 499, rejected: [{ index: 123, field: "batch[123].event" }] });
    expect(await count(s.sourceId)).toBe(499);
    const { rows } = await getPool().query(`SELECT field, reason, payload FROM ingest_rejections WHERE source_id = $1`, [s.sourceId]);
    expect(rows).toEqual([{ field: "batch[123].event", reason: "is required for track and must be a non-empty string", payload: expect.stringContaining('"messageId":"bad"') }]);
    const { rows: stats } = await getPool().query(`SELECT sum(accepted)::int AS a, sum(rejected)::int AS r FROM source_minute_stats WHERE source_id = $1`, [s.sourceId]);
    expect(stats[0]).toEqual({ a: 499, r: 1 });
  });

  it("stores a duplicate messageId once and answers 200", async () => {
    const s = await createTestSource();
    for (let i = 0; i < 3; i++) expect((await post("/v1/track", { userId: "u", event: "E", messageId: "same" }, { Authorization: basic(s.writeKey) })).status).toBe(200);
    const twiceInOneBatch = [{ type: "track", userId: "u", event: "E", messageId: "dup" }, { type: "track", userId: "u", event: "E", messageId: "dup" }];
    expect((await post("/v1/batch", { batch: twiceInOneBatch }, { Authorization: basic(s.writeKey) })).status).toBe(200);
    expect(await count(s.sourceId)).toBe(2);
    const other = await createTestSource();
    expect((await post("/v1/track", { userId: "u", event: "E", messageId: "same" }, { Authorization: basic(other.writeKey) })).status).toBe(200);
    expect(await count(other.sourceId)).toBe(1); // the key is per source
  });

  it("keeps messageIds for the dedupe window (8 days), then prunes them", async () => {
    const s = await createTestSource();
    const send = () => post("/v1/track", { userId: "u", event: "E", messageId: "old" }, { Authorization: basic(s.writeKey) });
    expect((await send()).status).toBe(200);
    const pool = getPool();
    const age = (days: number) => pool.query(`UPDATE event_dedupe SET received_at = now() - $2 * interval '1 day' WHERE source_id = $1`, [s.sourceId, days]);
    await age(7.1);
    await pruneDedupeWindow();
    expect((await send()).status).toBe(200);
    expect(await count(s.sourceId)).toBe(1); // still deduplicated after 7 days
    await age(8.1);
    expect(await pruneDedupeWindow({ batchSize: 1 })).toBeGreaterThanOrEqual(1);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM event_dedupe WHERE source_id = $1`, [s.sourceId]);
    expect(rows[0].n).toBe(0);
    expect((await send()).status).toBe(200);
    expect(await count(s.sourceId)).toBe(2); // past the window the id is new again
  });

  it("answers 429 with Retry-After when a write key exceeds its rate", async () => {
    const s = await createTestSource();
    const deps = { pool: getPool(), writer: new EventWriter(getPool()), limiter: new WriteKeyRateLimiter(10, 10) };
    const request = (n: number) => handleTrackingRequest({
      method: "POST", pathname: "/v1/batch", ip: "127.0.0.1", headers: { authorization: basic(s.writeKey) },
      body: Buffer.from(JSON.stringify({ batch: Array.from({ length: n }, () => ({ type: "track", userId: "u", event: "E" })) })),
    }, deps);
    expect((await request(8)).status).toBe(200);
    const limited = await request(8);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers["Retry-After"])).toBeGreaterThanOrEqual(1);
    expect(await count(s.sourceId)).toBe(8);
  });

  it("answers preflights, and enforces a source's allowed origins on the POST", async () => {
    const s = await createTestSource({ kind: "website", allowedOrigins: ["https://shop.example"] });
    const pre = await fetch(`${server.url}/v1/t`, { method: "OPTIONS", headers: { Origin: "https://shop.example", "Access-Control-Request-Method": "POST" } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("https://shop.example");
    expect(pre.headers.get("access-control-allow-headers")).toBe("Content-Type, Authorization, X-Retry-Count");
    const allowed = await post("/v1/t", { writeKey: s.writeKey, anonymousId: "a", event: "E" }, { Origin: "https://shop.example" });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://shop.example");
    const denied = await post("/v1/t", { writeKey: s.writeKey, anonymousId: "a", event: "E" }, { Origin: "https://evil.example" });
    expect(denied.status).toBe(403);
    expect(denied.headers.get("access-control-allow-origin")).toBeNull();
    expect(await count(s.sourceId)).toBe(1);
  });

  it("serves analytics.js settings pointing at this host, and swallows its metrics", async () => {
    const s = await createTestSource({ kind: "website" });
    const res = await fetch(`${server.url}/v1/projects/${s.writeKey}/settings`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      integrations: { "Segment.io": { apiKey: s.writeKey, apiHost: `${new URL(server.url).host}/v1`, protocol: "http" } },
      metrics: { sampleRate: 0 },
    });
    expect((await fetch(`${server.url}/v1/projects/unknown/settings`)).status).toBe(404);
    expect((await post("/v1/m", { series: [] })).status).toBe(200);
  });

  it("never answers 5xx to malformed input while the database is up, and always names the field", async () => {
    const s = await createTestSource();
    const auth = { Authorization: basic(s.writeKey) };
    const bodies = fc.sample(
      fc.oneof(
        fc.string({ unit: "binary", maxLength: 300 }),
        fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
        fc.record({ userId: fc.anything(), anonymousId: fc.string({ unit: "binary" }), event: fc.anything(), properties: fc.anything(), timestamp: fc.anything(), context: fc.anything() }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
        fc.array(fc.record({ type: fc.constantFrom("track", "identify", "x"), userId: fc.string({ unit: "binary" }), event: fc.string({ unit: "binary" }), traits: fc.object() }, { requiredKeys: [] })).map((batch) => JSON.stringify({ batch })),
      ),
      { numRuns: 400, seed: 42 },
    );
    for (const [i, body] of bodies.entries()) {
      const path = i % 2 ? "/v1/batch" : "/v1/track";
      const res = await fetch(`${server.url}${path}`, { method: "POST", headers: auth, body });
      expect(res.status, `${path} ${body.slice(0, 200)}`).toBeLessThan(500);
      if (res.status === 400) expect((await res.json()).error.field, body.slice(0, 200)).toBeTruthy();
      else await res.arrayBuffer();
    }
  });
});

describe("concurrent writes", () => {
  it("store a batch sent many times at once, in different orders, once, answering 200 to each", async () => {
    const s = await createTestSource();
    const batch = Array.from({ length: 300 }, (_, i) => ({ type: i % 2 ? "track" : "identify", userId: `u${i}`, event: "E", messageId: `race-${i}` }));
    const sends = Array.from({ length: 12 }, (_, k) => {
      const order = k % 2 ? [...batch].reverse() : batch;
      return post("/v1/batch", { batch: order }, { Authorization: basic(s.writeKey) });
    });
    const statuses = (await Promise.all(sends)).map((r) => r.status);
    expect(statuses).toEqual(Array(12).fill(200));
    expect(await count(s.sourceId)).toBe(300);
  });
});
