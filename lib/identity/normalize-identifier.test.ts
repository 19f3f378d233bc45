import { describe, expect, it } from "vitest";
import { DEFAULT_IDENTITY_SETTINGS } from "@/lib/identity/identity-settings";
import { normalizeIdentifier, type NormalizeSettings } from "@/lib/identity/normalize-identifier";

const settings = DEFAULT_IDENTITY_SETTINGS;
const ch: NormalizeSettings = { ...DEFAULT_IDENTITY_SETTINGS, phoneRegion: "CH" };

const ok = (value: string) => ({ ok: true, value });
const fail = (reason: string) => ({ ok: false, reason });

describe("normalizeIdentifier: input shape", () => {
  it("accepts strings and finite numbers", () => {
    expect(normalizeIdentifier("user_id", "abc", settings)).toEqual(ok("abc"));
    expect(normalizeIdentifier("user_id", 42, settings)).toEqual(ok("42"));
    expect(normalizeIdentifier("user_id", 4.5, settings)).toEqual(ok("4.5"));
  });

  it.each([null, undefined, true, {}, [], ["a"], NaN, Infinity, -Infinity, 10n, Symbol("x"), () => "x"])("refuses %s", (raw) => {
    expect(normalizeIdentifier("user_id", raw, settings)).toEqual(fail("must be a string or number"));
  });

  it("trims, and refuses what is empty after trimming", () => {
    expect(normalizeIdentifier("user_id", "  u-1\n", settings)).toEqual(ok("u-1"));
    expect(normalizeIdentifier("user_id", "", settings)).toEqual(fail("is empty"));
    expect(normalizeIdentifier("email", " \t ", settings)).toEqual(fail("is empty"));
  });

  it("refuses values longer than 512 characters (after trimming)", () => {
    expect(normalizeIdentifier("user_id", "a".repeat(512), settings)).toEqual(ok("a".repeat(512)));
    expect(normalizeIdentifier("user_id", ` ${"a".repeat(512)} `, settings)).toEqual(ok("a".repeat(512)));
    expect(normalizeIdentifier("user_id", "a".repeat(513), settings)).toEqual(fail("is longer than 512 characters"));
    expect(normalizeIdentifier("email", `${"a".repeat(510)}@x.com`, settings)).toEqual(fail("is longer than 512 characters"));
  });
});

describe("normalizeIdentifier: email", () => {
  it.each([
    ["Jane.Doe@Example.COM", "jane.doe@example.com"],
    ["  jane@example.com ", "jane@example.com"],
    ["mailto:Jane@Example.com", "jane@example.com"],
    ["MAILTO: jane@example.com", "jane@example.com"],
    ["jane+tag@mail.example.co.uk", "jane+tag@mail.example.co.uk"],
    ["jöran@bücher.de", "jöran@bücher.de"],
  ])("%s → %s", (raw, value) => {
    expect(normalizeIdentifier("email", raw, settings)).toEqual(ok(value));
  });

  it.each(["jane", "jane@", "@example.com", "jane@example", "jane@example.c", "jane@example.c0m", "ja ne@example.com", "jane@exa mple.com", "a@b@example.com", "jane@.com", "jane@example..com", "jane@example.com.", "mailto:", 12345])(
    "refuses %s",
    (raw) => {
      expect(normalizeIdentifier("email", raw, settings)).toEqual(fail("is not an email address"));
    },
  );

  it("checks the normalised address against the blocklist", () => {
    const s: NormalizeSettings = { ...settings, blockedValues: ["Test@Example.com"], blockedPatterns: ["@example\\.org$"] };
    expect(normalizeIdentifier("email", "mailto:TEST@example.com", s)).toEqual(fail("is a blocked value"));
    expect(normalizeIdentifier("email", "anyone@EXAMPLE.org", s)).toEqual(fail("is a blocked value"));
    expect(normalizeIdentifier("email", "anyone@example.net", s)).toEqual(ok("anyone@example.net"));
  });
});

describe("normalizeIdentifier: phone", () => {
  it.each<[string, NormalizeSettings, string]>([
    ["+41 79 123 45 67", settings, "+41791234567"],
    ["079 123 45 67", ch, "+41791234567"],
    ["(201) 555-0123", settings, "+12015550123"],
    ["00 41 79 123 45 67", ch, "+41791234567"],
    ["+1-201-555-0123", ch, "+12015550123"],
  ])("%s → %s", (raw, s, value) => {
    expect(normalizeIdentifier("phone", raw, s)).toEqual(ok(value));
  });

  it("reads numbers", () => {
    expect(normalizeIdentifier("phone", 2015550123, settings)).toEqual(ok("+12015550123"));
  });

  it.each(["12345", "+1 200 000 0000", "+41 11 123 45 67", "call me", "555-0123"])("refuses %s", (raw) => {
    expect(normalizeIdentifier("phone", raw, settings)).toEqual(fail("is not a valid phone number"));
  });

  it("uses the region only for numbers without a country code", () => {
    expect(normalizeIdentifier("phone", "079 123 45 67", settings)).toEqual(fail("is not a valid phone number"));
    expect(normalizeIdentifier("phone", "+41 79 123 45 67", ch)).toEqual(ok("+41791234567"));
  });

  it("does not throw on an unknown region", () => {
    const s: NormalizeSettings = { ...settings, phoneRegion: "XX" };
    expect(normalizeIdentifier("phone", "079 123 45 67", s)).toEqual(fail("is not a valid phone number"));
    expect(normalizeIdentifier("phone", "+41 79 123 45 67", s)).toEqual(ok("+41791234567"));
  });

  it("checks the E.164 form against the blocklist", () => {
    const s: NormalizeSettings = { ...settings, blockedValues: ["+12015550123"] };
    expect(normalizeIdentifier("phone", "(201) 555-0123", s)).toEqual(fail("is a blocked value"));
  });
});

describe("normalizeIdentifier: other types", () => {
  it.each(["user_id", "anonymous_id", "device_id", "advertising_id", "group_id", "loyalty_id"])("%s keeps the trimmed value with its case", (type) => {
    expect(normalizeIdentifier(type, "  AbC-123 ", settings)).toEqual(ok("AbC-123"));
  });

  it("does not treat look-alike values of other types as emails or phones", () => {
    expect(normalizeIdentifier("user_id", "Jane@Example.com", settings)).toEqual(ok("Jane@Example.com"));
    expect(normalizeIdentifier("user_id", "(201) 555-0123", settings)).toEqual(ok("(201) 555-0123"));
  });
});

describe("normalizeIdentifier: default blocklist", () => {
  const blocked: unknown[] = ["null", "NULL", "undefined", "0", 0, -0, "-1", -1, "anonymous", "[object Object]", "00000000-0000-0000-0000-000000000000", "0000000000", "11111111", " None ", "N/A"];
  for (const type of ["user_id", "anonymous_id"]) {
    it.each(blocked)(`${type} %s is blocked`, (raw) => {
      expect(normalizeIdentifier(type, raw, settings)).toEqual(fail("is a blocked value"));
    });

    it(`${type} "" is refused as empty`, () => {
      expect(normalizeIdentifier(type, "", settings)).toEqual(fail("is empty"));
    });

    it.each(["42", "user-1", "2f1c0a4e-8a43-4c8e-9b1e-0c6f3b2f9d11", "1111111", "111111112", "nullable", "0x1"])(`${type} %s passes`, (raw) => {
      expect(normalizeIdentifier(type, raw, settings)).toEqual(ok(raw));
    });
  }
});

describe("normalizeIdentifier: custom blocklists", () => {
  it("compares blocked values case-insensitively", () => {
    const s: NormalizeSettings = { ...settings, blockedValues: ["Guest"], blockedPatterns: [] };
    expect(normalizeIdentifier("user_id", "GUEST", s)).toEqual(fail("is a blocked value"));
    expect(normalizeIdentifier("user_id", "null", s)).toEqual(ok("null"));
  });

  it("compiles patterns case-insensitively and ignores ones that don't compile", () => {
    const s: NormalizeSettings = { ...settings, blockedValues: [], blockedPatterns: ["(", "^test-"] };
    expect(normalizeIdentifier("user_id", "TEST-1", s)).toEqual(fail("is a blocked value"));
    expect(normalizeIdentifier("user_id", "(", s)).toEqual(ok("("));
  });

  it("gives the same answer on repeated calls (patterns are cached, not stateful)", () => {
    const s: NormalizeSettings = { ...settings, blockedValues: [], blockedPatterns: ["^bot-"] };
    for (let i = 0; i < 3; i++) {
      expect(normalizeIdentifier("user_id", "bot-1", s)).toEqual(fail("is a blocked value"));
      expect(normalizeIdentifier("user_id", "human-1", s)).toEqual(ok("human-1"));
    }
  });

  it("keeps caches of different settings objects apart", () => {
    const a: NormalizeSettings = { ...settings, blockedValues: [], blockedPatterns: ["^a"] };
    const b: NormalizeSettings = { ...settings, blockedValues: [], blockedPatterns: ["^b"] };
    expect(normalizeIdentifier("user_id", "abc", a).ok).toBe(false);
    expect(normalizeIdentifier("user_id", "abc", b).ok).toBe(true);
    expect(normalizeIdentifier("user_id", "bcd", b).ok).toBe(false);
    expect(normalizeIdentifier("user_id", "bcd", a).ok).toBe(true);
  });
});
