import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { importMappingSchema, type ImportMappingInput } from "@/lib/imports/import-mapping";
import { parseBoolean, parseDate, parseEmail, parseNumber, parsePhone, prepareImportMessage, rowToMessage, type RowResult } from "@/lib/imports/row-to-message";
import { normalizeMessage } from "@/lib/ingest/normalize-message";

const importId = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
const convert = (headers: string[], row: string[], mapping: ImportMappingInput, rowNumber = 1) => rowToMessage(row, headers, importMappingSchema.parse(mapping), { importId, rowNumber });
const ok = (r: RowResult) => {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.errors)}`);
  return r.message;
};
const errors = (r: RowResult) => {
  if (r.ok) throw new Error(`expected errors, got ${JSON.stringify(r.message)}`);
  return r.errors;
};

const identify: ImportMappingInput = {
  mode: "identify",
  columns: {
    user_id: { as: "user_id" },
    email: { as: "email" },
    phone: { as: "phone" },
    loyalty: { as: "external_id", idType: "loyalty_id" },
    plan: { as: "trait", trait: "plan" },
    ltv: { as: "trait", trait: "lifetime_value", type: "number" },
    vip: { as: "trait", trait: "vip", type: "boolean" },
    birthday: { as: "trait", trait: "birthday", type: "date" },
    notes: { as: "ignore" },
  },
};
const identifyHeaders = ["user_id", "email", "phone", "loyalty", "plan", "ltv", "vip", "birthday", "notes"];

describe("value parsers", () => {
  it.each(["ada@example.com", "ADA.Lovelace+tag@Mail.Example.co.uk", "o'brien@example.ie"])("email ok: %s", (v) => expect(parseEmail(v).ok).toBe(true));
  it.each(["ada", "ada@", "@example.com", "ada@example", "ada@@example.com", "ada lovelace@example.com", "ada@exa_mple.com", "ada@example.c"])("email refused: %s", (v) => {
    expect(parseEmail(v)).toEqual({ ok: false, reason: "is not a valid email address" });
  });
  it("lower-cases emails", () => expect(parseEmail("Ada@Example.COM")).toEqual({ ok: true, value: "ada@example.com" }));

  it("phones: keeps + and digits, refuses letters and wrong lengths", () => {
    expect(parsePhone("+41 (79) 123-45.67")).toEqual({ ok: true, value: "+41791234567" });
    expect(parsePhone("0791234567")).toEqual({ ok: true, value: "0791234567" });
    expect(parsePhone("12345")).toMatchObject({ ok: false, reason: expect.stringMatching(/has 5 digits/) });
    expect(parsePhone("1".repeat(21))).toMatchObject({ ok: false });
    expect(parsePhone("call me")).toMatchObject({ ok: false, reason: expect.stringMatching(/not a valid phone/) });
    expect(parsePhone("41+791234567")).toMatchObject({ ok: false });
  });

  it("numbers: plain decimals only, with a hint for locale formats", () => {
    expect(parseNumber("42")).toEqual({ ok: true, value: 42 });
    expect(parseNumber("-1.5e3")).toEqual({ ok: true, value: -1500 });
    expect(parseNumber(".5")).toEqual({ ok: true, value: 0.5 });
    expect(parseNumber("1,5")).toEqual({ ok: false, reason: "is not a number (use a dot as the decimal separator and no thousands separators)" });
    expect(parseNumber("1,234.50")).toMatchObject({ ok: false, reason: expect.stringMatching(/thousands/) });
    expect(parseNumber("abc")).toEqual({ ok: false, reason: "is not a number" });
    expect(parseNumber("1e999")).toEqual({ ok: false, reason: "is not a finite number" });
  });

  it("booleans", () => {
    for (const v of ["true", "TRUE", "yes", "Y", "1", "t"]) expect(parseBoolean(v)).toEqual({ ok: true, value: true });
    for (const v of ["false", "No", "n", "0", "F"]) expect(parseBoolean(v)).toEqual({ ok: true, value: false });
    expect(parseBoolean("maybe")).toMatchObject({ ok: false, reason: expect.stringMatching(/true\/false/) });
  });

  it("dates: ISO forms and YYYY-MM-DD HH:MM(:SS); no zone is UTC", () => {
    expect(parseDate("2024-02-29")).toEqual({ ok: true, value: { iso: "2024-02-29", dateOnly: true, time: Date.UTC(2024, 1, 29) } });
    expect(parseDate("2024-03-31T14:05:00Z")).toMatchObject({ ok: true, value: { iso: "2024-03-31T14:05:00.000Z" } });
    expect(parseDate("2024-03-31T14:05:00.123456+02:00")).toMatchObject({ ok: true, value: { iso: "2024-03-31T12:05:00.123Z" } });
    expect(parseDate("2024-03-31 14:05")).toMatchObject({ ok: true, value: { iso: "2024-03-31T14:05:00.000Z" } });
    expect(parseDate("2024-03-31 14:05:09 -0530")).toMatchObject({ ok: true, value: { iso: "2024-03-31T19:35:09.000Z" } });
  });

  it.each([
    ["2023-02-29", /not a valid calendar date/],
    ["2024-13-01", /not a valid calendar date/],
    ["2024-01-01 24:00", /not a valid calendar date/],
    ["31.03.2024", /ambiguous/],
    ["03/31/2024", /ambiguous/],
    ["yesterday", /is not a date; use ISO 8601/],
    ["2024-1-5", /is not a date/],
    ["2024-01-01T10:00+25:00", /time zone/],
  ])("date refused: %s", (v, reason) => {
    const r = parseDate(v);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });
});

describe("identify rows", () => {
  it("builds an identify message with typed traits and external ids", () => {
    const m = ok(convert(identifyHeaders, ["u-1", " Ada@Example.com ", "+41 79 123 45 67", "L-77", "pro", "129.90", "yes", "1990-12-10", "whatever"], identify, 42));
    expect(m).toEqual({
      type: "identify",
      messageId: `csv-${importId}-42`,
      userId: "u-1",
      traits: { plan: "pro", lifetime_value: 129.9, vip: true, birthday: "1990-12-10", email: "ada@example.com", phone: "+41791234567" },
      context: {
        import: { id: importId, row: 42 },
        externalIds: [
          { id: "ada@example.com", type: "email", collection: "users", encoding: "none" },
          { id: "+41791234567", type: "phone", collection: "users", encoding: "none" },
          { id: "L-77", type: "loyalty_id", collection: "users", encoding: "none" },
        ],
      },
    });
    // The tracking API accepts it as is.
    expect(normalizeMessage(m, null, { receivedAt: new Date() }).ok).toBe(true);
  });

  it("derives a stable anonymousId from the first identifier when there is no user id", () => {
    const a = ok(convert(identifyHeaders, ["", "ada@example.com", "", "", "", "", "", "", ""], identify, 1));
    const b = ok(convert(identifyHeaders, ["", "ADA@example.com", "+41791234567", "", "", "", "", "", ""], identify, 9));
    expect(a.userId).toBeUndefined();
    expect(a.anonymousId).toBe(`csv-${createHash("sha1").update("email:ada@example.com").digest("hex")}`);
    expect(b.anonymousId).toBe(a.anonymousId);
    const byLoyalty = ok(convert(identifyHeaders, ["", "", "", "L-1", "", "", "", "", ""], identify));
    expect(byLoyalty.anonymousId).toBe(`csv-${createHash("sha1").update("loyalty_id:L-1").digest("hex")}`);
  });

  it("uses the anonymous id column when mapped", () => {
    const m = ok(convert(["anon", "plan"], ["a-1", "free"], { mode: "identify", columns: { anon: { as: "anonymous_id" }, plan: { as: "trait", trait: "plan" } } }));
    expect(m).toMatchObject({ anonymousId: "a-1", traits: { plan: "free" } });
    expect(m.userId).toBeUndefined();
  });

  it("leaves empty cells out instead of failing", () => {
    const m = ok(convert(identifyHeaders, ["u-1", "", "", "", "", "  ", "", "", ""], identify));
    expect(m.traits).toEqual({});
    expect(m.context).toEqual({ import: { id: importId, row: 1 } });
  });

  it("reports every bad cell of a row, with column, value and reason", () => {
    expect(errors(convert(identifyHeaders, ["u-1", "not-an-email", "12", "", "", "12,5", "perhaps", "31.12.1990", ""], identify, 7))).toEqual([
      { rowNumber: 7, column: "email", value: "not-an-email", reason: "is not a valid email address" },
      { rowNumber: 7, column: "phone", value: "12", reason: "is not a valid phone number (has 2 digits; expected 6 to 20)" },
      { rowNumber: 7, column: "ltv", value: "12,5", reason: "is not a number (use a dot as the decimal separator and no thousands separators)" },
      { rowNumber: 7, column: "vip", value: "perhaps", reason: "is not a boolean (use true/false, yes/no or 1/0)" },
      { rowNumber: 7, column: "birthday", value: "31.12.1990", reason: expect.stringMatching(/ambiguous/) },
    ]);
  });

  it("reports a row without any identifier", () => {
    expect(errors(convert(identifyHeaders, ["", "", "", "", "pro", "", "", "", ""], identify, 3))).toEqual([
      { rowNumber: 3, column: "", value: "", reason: "has no identifier (user id, anonymous id, email, phone or custom id are all empty)" },
    ]);
  });

  it("reports a row with the wrong number of fields", () => {
    expect(errors(convert(["a", "b"], ["1"], { mode: "identify", columns: { a: { as: "user_id" } } }, 5))).toEqual([{ rowNumber: 5, column: "", value: "", reason: "has 1 field; the header has 2" }]);
  });

  it("refuses NUL characters and over-long ids, and truncates long values in errors", () => {
    const e = errors(convert(["id", "plan"], ["u\u00001", "x"], { mode: "identify", columns: { id: { as: "user_id" } } }));
    expect(e).toEqual([{ rowNumber: 1, column: "id", value: "u\\01", reason: "contains a NUL character, which cannot be stored" }]);
    const long = errors(convert(["id"], ["x".repeat(600)], { mode: "identify", columns: { id: { as: "user_id" } } }))[0];
    expect(long.reason).toBe("is longer than 512 characters");
    expect(long.value).toHaveLength(201);
  });
});

describe("track rows", () => {
  const track: ImportMappingInput = {
    mode: "track",
    columns: { customer: { as: "user_id" }, email: { as: "email" }, event: { as: "event_name" }, at: { as: "timestamp" }, total: { as: "property", property: "total", type: "number" }, tier: { as: "trait", trait: "tier" } },
  };
  const headers = ["customer", "email", "event", "at", "total", "tier"];

  it("builds a track message with properties, timestamp and identifiers in context", () => {
    const m = ok(convert(headers, ["c-9", "bo@example.com", "Order Completed", "2024-05-01 10:00:00", "99.5", "gold"], track, 2));
    expect(m).toEqual({
      type: "track",
      messageId: `csv-${importId}-2`,
      userId: "c-9",
      event: "Order Completed",
      properties: { total: 99.5 },
      timestamp: "2024-05-01T10:00:00.000Z",
      context: {
        import: { id: importId, row: 2 },
        externalIds: [{ id: "bo@example.com", type: "email", collection: "users", encoding: "none" }],
        traits: { tier: "gold", email: "bo@example.com" },
      },
    });
    const n = normalizeMessage(m, null, { receivedAt: new Date() });
    expect(n.ok && n.message.timestamp.toISOString()).toBe("2024-05-01T10:00:00.000Z");
  });

  it("uses the constant event name", () => {
    const m = ok(convert(["id"], ["u"], { mode: "track", eventName: "Store Visit", columns: { id: { as: "user_id" } } }));
    expect(m.event).toBe("Store Visit");
    expect(m.timestamp).toBeUndefined();
  });

  it("reports a missing event name, a bad or empty timestamp, and one outside 1970–2200", () => {
    expect(errors(convert(headers, ["c-9", "", "", "2024-05-01", "", ""], track, 4))).toEqual([{ rowNumber: 4, column: "event", value: "", reason: "has no event name" }]);
    expect(errors(convert(headers, ["c-9", "", "X", "", "", ""], track))[0]).toMatchObject({ column: "at", reason: "is empty (a timestamp is required)" });
    expect(errors(convert(headers, ["c-9", "", "X", "05/01/2024", "", ""], track))[0]).toMatchObject({ column: "at", reason: expect.stringMatching(/ambiguous/) });
    expect(errors(convert(headers, ["c-9", "", "X", "1960-01-01", "", ""], track))[0]).toMatchObject({ column: "at", reason: "is outside 1970–2200" });
  });

  it("gives every row its own deterministic messageId", () => {
    const a = ok(convert(["id"], ["u"], { mode: "track", eventName: "E", columns: { id: { as: "user_id" } } }, 1));
    const b = ok(convert(["id"], ["u"], { mode: "track", eventName: "E", columns: { id: { as: "user_id" } } }, 2));
    const a2 = ok(convert(["id"], ["u"], { mode: "track", eventName: "E", columns: { id: { as: "user_id" } } }, 1));
    expect(a.messageId).not.toBe(b.messageId);
    expect(a2.messageId).toBe(a.messageId);
  });
});

describe("prepareImportMessage", () => {
  it("stores exactly what the tracking API's normalisation stores", () => {
    const receivedAt = new Date("2026-11-29T12:00:00.000Z");
    const samples = [
      convert(identifyHeaders, ["u-1", "ada@example.com", "+41791234567", "L-1", "pro", "1", "no", "1990-01-01", ""], identify, 5),
      convert(identifyHeaders, ["", "ada@example.com", "", "", "", "", "", "", ""], identify, 6),
      convert(["customer", "event", "at"], ["c-1", "Order Completed", "2024-05-01T10:00:00+02:00"], { mode: "track", columns: { customer: { as: "user_id" }, event: { as: "event_name" }, at: { as: "timestamp" } } }, 7),
      convert(["anon"], ["a-1"], { mode: "track", eventName: "Visit", columns: { anon: { as: "anonymous_id" } } }, 8),
    ];
    for (const sample of samples) {
      const message = ok(sample);
      const viaApi = normalizeMessage(structuredClone(message), null, { receivedAt });
      if (!viaApi.ok) throw new Error(viaApi.problem.message);
      const prepared = prepareImportMessage(structuredClone(message), receivedAt);
      const { raw, ...columns } = viaApi.message;
      expect(prepared).toEqual({ ...columns, json: expect.any(String) });
      expect(JSON.parse(prepared.json)).toEqual(raw);
    }
  });
});
