import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_BATCH_MESSAGES, parseTrackingRequest, writeKeyFrom, type ParsedRequest } from "@/lib/ingest/parse-tracking-request";
import { matchTrackingRoute } from "@/lib/ingest/tracking-routes";

const receivedAt = new Date("2026-11-29T12:00:00.000Z");
const body = (value: unknown) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value));
const single = (type: "identify" | "track" | "page" | "screen" | "group" | "alias", value: unknown, extra: { authorization?: string; ip?: string } = {}) =>
  parseTrackingRequest({ routeType: type, body: body(value), receivedAt, ...extra });
const batch = (value: unknown) => parseTrackingRequest({ routeType: null, body: body(value), receivedAt });
const ok = (r: ParsedRequest) => {
  if (!r.ok) throw new Error(`expected ok, got ${r.status} ${r.field} ${r.message}`);
  return r;
};

describe("tracking routes", () => {
  it.each([
    ["/v1/identify", { kind: "message", type: "identify" }],
    ["/v1/t", { kind: "message", type: "track" }],
    ["/v1/p", { kind: "message", type: "page" }],
    ["/v1/s", { kind: "message", type: "screen" }],
    ["/v1/g", { kind: "message", type: "group" }],
    ["/v1/a", { kind: "message", type: "alias" }],
    ["/v1/batch", { kind: "batch" }],
    ["/v1/import", { kind: "batch" }],
    ["/v1/b", { kind: "batch" }],
    ["/v1/m", { kind: "metrics" }],
    ["/v1/projects/abc%20d/settings", { kind: "settings", writeKey: "abc d" }],
    ["/v1/nope", null],
    ["/v2/track", null],
  ])("%s", (path, expected) => {
    expect(matchTrackingRoute(path)).toEqual(expected);
  });
});

describe("write key", () => {
  it("reads Basic auth (password empty), else the body, also with a Bearer header", () => {
    expect(writeKeyFrom(`Basic ${Buffer.from("wk_123:").toString("base64")}`, {})).toBe("wk_123");
    expect(writeKeyFrom(null, { writeKey: "wk_body" })).toBe("wk_body");
    expect(writeKeyFrom("Bearer some-token", { writeKey: "wk_body" })).toBe("wk_body");
    expect(writeKeyFrom(null, { writeKey: 42 })).toBeNull();
  });
});

describe("messages", () => {
  it("accepts each type with its required fields and keeps unknown fields", () => {
    const r = ok(single("track", { userId: "u1", event: "Order Completed", properties: { total: 12 }, custom: { x: 1 } }));
    expect(r.accepted[0]).toMatchObject({ type: "track", userId: "u1", event: "Order Completed" });
    expect(JSON.parse(r.accepted[0].json)).toMatchObject({ custom: { x: 1 }, properties: { total: 12 }, type: "track" });
    ok(single("identify", { anonymousId: "a1", traits: { email: "x@y.z" } }));
    ok(single("page", { anonymousId: "a1", name: "Home" }));
    ok(single("screen", { userId: 7 }));
    ok(single("group", { userId: "u1", groupId: 99 }));
    ok(single("alias", { previousId: "a1", userId: "u1" }));
  });

  it.each([
    ["track", { userId: "u1" }, "event"],
    ["track", { userId: "u1", event: "  " }, "event"],
    ["identify", { traits: {} }, "userId"],
    ["group", { userId: "u1" }, "groupId"],
    ["alias", { userId: "u1" }, "previousId"],
    ["alias", { previousId: "a1" }, "userId"],
    ["identify", { userId: { id: 1 } }, "userId"],
    ["identify", { userId: "u1", traits: [1, 2] }, "traits"],
    ["identify", { userId: "u1", context: "x" }, "context"],
    ["identify", { userId: "u1", timestamp: "yesterday" }, "timestamp"],
    ["identify", { userId: "u1", sentAt: true }, "sentAt"],
    ["identify", { userId: "u1", traits: { name: "a\u0000b" } }, "traits.name"],
    ["identify", { userId: "u1", traits: { name: "\ud800" } }, "traits.name"],
  ] as const)("%s %j is refused naming %s", (type, message, field) => {
    const r = ok(single(type, message));
    expect(r.accepted).toHaveLength(0);
    expect(r.rejected[0].field).toBe(field);
  });

  it("refuses nesting deeper than the limit", () => {
    let deep: unknown = "x";
    for (let i = 0; i < 40; i++) deep = { d: deep };
    const r = ok(single("identify", { userId: "u1", traits: deep }));
    expect(r.rejected[0].message).toMatch(/nested more than 32 levels/);
  });

  it("assigns a messageId when missing and keeps the client's", () => {
    expect(ok(single("track", { userId: "u", event: "E" })).accepted[0].messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(ok(single("track", { userId: "u", event: "E", messageId: "m-1" })).accepted[0].messageId).toBe("m-1");
  });

  it("corrects the client's clock skew with sentAt", () => {
    // The device clock is 1 h fast; the event waited 5 s on the device before sending.
    const r = ok(single("track", { userId: "u", event: "E", timestamp: "2026-11-29T12:59:55.000Z", sentAt: "2026-11-29T13:00:00.000Z" }));
    const m = r.accepted[0];
    expect(m.timestamp.toISOString()).toBe("2026-11-29T11:59:55.000Z");
    expect(JSON.parse(m.json)).toMatchObject({ originalTimestamp: "2026-11-29T12:59:55.000Z", receivedAt: "2026-11-29T12:00:00.000Z", timestamp: "2026-11-29T11:59:55.000Z" });
  });

  it("uses the client timestamp without sentAt, and receivedAt without either", () => {
    expect(ok(single("track", { userId: "u", event: "E", timestamp: "2026-01-01T00:00:00Z" })).accepted[0].timestamp.toISOString()).toBe("2026-01-01T00:00:00.000Z");
    expect(ok(single("track", { userId: "u", event: "E" })).accepted[0].timestamp).toEqual(receivedAt);
  });

  it("takes context.ip from the request when absent, and drops the write key from stored data", () => {
    const m = ok(single("track", { userId: "u", event: "E", writeKey: "wk" }, { ip: "203.0.113.9" })).accepted[0];
    expect(JSON.parse(m.json).context.ip).toBe("203.0.113.9");
    expect(JSON.parse(m.json).writeKey).toBeUndefined();
    const own = ok(single("track", { userId: "u", event: "E", context: { ip: "198.51.100.1" } }, { ip: "203.0.113.9" })).accepted[0];
    expect(JSON.parse(own.json).context.ip).toBe("198.51.100.1");
  });
});

describe("batches", () => {
  it("merge envelope context and integrations under each message, apply the envelope sentAt, and reject only bad messages", () => {
    const r = ok(batch({
      sentAt: "2026-11-29T12:00:10.000Z",
      context: { library: { name: "x" }, locale: "de" },
      integrations: { All: true },
      batch: [
        { type: "track", userId: "u", event: "A", timestamp: "2026-11-29T12:00:00.000Z", context: { locale: "fr" } },
        { type: "track", userId: "u" },
        { type: "bogus", userId: "u" },
        { type: "identify", anonymousId: "a" },
      ],
    }));
    expect(r.accepted).toHaveLength(2);
    expect(r.rejected.map((x) => [x.index, x.field])).toEqual([[1, "batch[1].event"], [2, "batch[2].type"]]);
    const first = JSON.parse(r.accepted[0].json);
    expect(first.context).toEqual({ library: { name: "x" }, locale: "fr" });
    expect(first.integrations).toEqual({ All: true });
    expect(r.accepted[0].timestamp.toISOString()).toBe("2026-11-29T11:59:50.000Z");
  });

  it("refuses a batch over the message limit, a missing batch array and oversize bodies", () => {
    const many = batch({ batch: Array.from({ length: MAX_BATCH_MESSAGES + 1 }, () => ({})) });
    expect(many).toMatchObject({ ok: false, status: 400, field: "batch" });
    expect(batch({ messages: [] })).toMatchObject({ ok: false, status: 400, field: "batch" });
    expect(parseTrackingRequest({ routeType: null, body: Buffer.alloc(500 * 1024 + 1, 32), receivedAt })).toMatchObject({ ok: false, status: 413 });
    expect(single("track", { userId: "u", event: "E", p: "x".repeat(33 * 1024) })).toMatchObject({ ok: false, status: 413 });
  });

  it("rejects a single oversize message inside a batch by index", () => {
    const r = ok(batch({ batch: [{ type: "track", userId: "u", event: "E", p: "x".repeat(33 * 1024) }, { type: "track", userId: "u", event: "E" }] }));
    expect(r.accepted).toHaveLength(1);
    expect(r.rejected[0]).toMatchObject({ index: 0, field: "batch[0]" });
  });
});

describe("request-level errors", () => {
  it.each([["", "body"], ["{", "body"], ["[]", "body"], ["null", "body"], ['"x"', "body"]])("%j → 400 naming %s", (text, field) => {
    expect(single("track", text)).toMatchObject({ ok: false, status: 400, field });
  });
});

describe("fuzzing", () => {
  const routeTypes = fc.constantFrom("identify", "track", "page", "screen", "group", "alias", null);
  const check = (routeType: Parameters<typeof parseTrackingRequest>[0]["routeType"], bytes: Buffer) => {
    const r = parseTrackingRequest({ routeType, body: bytes, receivedAt, ip: "127.0.0.1" });
    if (!r.ok) {
      expect([400, 413]).toContain(r.status);
      expect(r.field.length).toBeGreaterThan(0);
      expect(r.message.length).toBeGreaterThan(0);
      return;
    }
    for (const m of r.accepted) {
      // Everything accepted is storable: valid JSON without NUL or lone surrogates, with ids.
      expect(m.json).not.toContain("\\u0000");
      expect(() => JSON.parse(m.json)).not.toThrow();
      expect(m.messageId.length).toBeGreaterThan(0);
      expect(m.userId ?? m.anonymousId).toBeTruthy();
      expect(Number.isNaN(m.timestamp.getTime())).toBe(false);
    }
    for (const x of r.rejected) expect(x.field.length).toBeGreaterThan(0);
  };

  it("never throws on arbitrary bytes", () => {
    fc.assert(fc.property(routeTypes, fc.uint8Array({ maxLength: 2000 }), (t, bytes) => check(t, Buffer.from(bytes))), { numRuns: 2000 });
  });

  it("never throws on arbitrary JSON, and everything it accepts can be stored", () => {
    const message = fc.record(
      {
        type: fc.oneof(fc.constantFrom("identify", "track", "page", "screen", "group", "alias", "Track"), fc.anything()),
        userId: fc.oneof(fc.string(), fc.integer(), fc.anything()),
        anonymousId: fc.oneof(fc.string({ unit: "binary" }), fc.constant("\u0000")),
        previousId: fc.string(),
        groupId: fc.oneof(fc.string(), fc.double()),
        event: fc.oneof(fc.string({ unit: "binary" }), fc.anything()),
        messageId: fc.oneof(fc.string(), fc.anything()),
        timestamp: fc.oneof(fc.date({ noInvalidDate: false }).map((d) => (Number.isNaN(d.getTime()) ? "invalid" : d.toISOString())), fc.string(), fc.anything()),
        sentAt: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.anything()),
        traits: fc.oneof(fc.object({ maxDepth: 6 }), fc.anything()),
        properties: fc.jsonValue({ maxDepth: 5 }),
        context: fc.oneof(fc.dictionary(fc.string({ unit: "binary" }), fc.string({ unit: "binary" })), fc.anything()),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(routeTypes, fc.array(message, { maxLength: 20 }), fc.anything(), (t, messages, envelopeContext) => {
        const value = t ? messages[0] ?? {} : { batch: messages, context: envelopeContext, sentAt: new Date().toISOString() };
        let text: string;
        try {
          text = JSON.stringify(value) ?? "null";
        } catch {
          return; // a value JSON cannot express (BigInt) never reaches the wire
        }
        check(t, Buffer.from(text));
      }),
      { numRuns: 3000 },
    );
  });

  it("survives deeply nested and huge inputs", () => {
    check(null, Buffer.from(`{"batch":[${"[".repeat(100_000)}${"]".repeat(100_000)}]}`.slice(0, 500 * 1024)));
    check("identify", Buffer.from(`{"userId":"u","traits":${'{"a":'.repeat(5000)}1${"}".repeat(5000)}}`));
    check("track", Buffer.from(JSON.stringify({ userId: "u", event: "x".repeat(30_000) })));
  });
});
