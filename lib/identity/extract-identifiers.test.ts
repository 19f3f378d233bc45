import { describe, expect, it } from "vitest";
import { extractIdentifiers, externalIdType, MAX_IDENTIFIERS_PER_EVENT, type EventForResolution } from "@/lib/identity/extract-identifiers";
import { DEFAULT_IDENTITY_SETTINGS, type IdentitySettings } from "@/lib/identity/identity-settings";

const settings = DEFAULT_IDENTITY_SETTINGS;

function event(type: string, raw: Record<string, unknown>, ids: { userId?: string | null; anonymousId?: string | null } = {}): EventForResolution {
  return { type, userId: ids.userId ?? null, anonymousId: ids.anonymousId ?? null, raw: { type, ...raw } };
}

describe("extractIdentifiers: sources", () => {
  it("takes userId and anonymousId from the event", () => {
    const out = extractIdentifiers(event("track", { event: "Clicked" }, { userId: " U-1 ", anonymousId: "anon-1" }), settings);
    expect(out).toEqual({
      identifiers: [
        { type: "user_id", value: "U-1" },
        { type: "anonymous_id", value: "anon-1" },
      ],
      rejected: [],
      account: null,
      previousId: null,
    });
  });

  it("takes email and phone from context.traits on every type, and from traits on identify", () => {
    const identify = extractIdentifiers(
      event("identify", { traits: { email: "Jane@Example.com", phone: "+41 79 123 45 67" }, context: { traits: { email: "jane@work.example.com" } } }),
      settings,
    );
    expect(identify.identifiers).toEqual([
      { type: "email", value: "jane@example.com" },
      { type: "email", value: "jane@work.example.com" },
      { type: "phone", value: "+41791234567" },
    ]);

    for (const type of ["track", "page", "screen", "group", "alias"]) {
      const out = extractIdentifiers(event(type, { context: { traits: { email: "jane@example.com", phone: "(201) 555-0123" } } }), settings);
      expect(out.identifiers).toEqual([
        { type: "email", value: "jane@example.com" },
        { type: "phone", value: "+12015550123" },
      ]);
    }
  });

  it("ignores top-level traits outside identify (on group they describe the account)", () => {
    for (const type of ["group", "track", "page"]) {
      const out = extractIdentifiers(event(type, { groupId: "acme", traits: { email: "billing@acme.com", phone: "+41 79 123 45 67", loyalty: "L1" } }), {
        ...settings,
        traitIdentifiers: { loyalty: "loyalty_id" },
      });
      expect(out.identifiers).toEqual([]);
      expect(out.rejected).toEqual([]);
    }
  });

  it("uses the workspace's phone region", () => {
    const out = extractIdentifiers(event("identify", { traits: { phone: "079 123 45 67" } }), { ...settings, phoneRegion: "CH" });
    expect(out.identifiers).toEqual([{ type: "phone", value: "+41791234567" }]);
  });

  it("takes device_id and advertising_id from context.device", () => {
    const out = extractIdentifiers(event("screen", { context: { device: { id: "dev-1", advertisingId: "7A3CBEA0-BDF5-11E4-8DFC-AA07A5B093DB", type: "ios" } } }), settings);
    expect(out.identifiers).toEqual([
      { type: "device_id", value: "dev-1" },
      { type: "advertising_id", value: "7A3CBEA0-BDF5-11E4-8DFC-AA07A5B093DB" },
    ]);
  });

  it("reads context.externalIds of the users collection", () => {
    const externalIds = [
      { id: "Z-1", type: "Zendesk ID", collection: "users", encoding: "none" },
      { id: "S-9", type: "stripe-customer-id" },
      { id: "ignored", type: "crm_id", collection: "accounts" },
      { id: "Jane@Example.com", type: "Email", collection: "users" },
      { id: "(201) 555-0123", type: "phone" },
      { id: " U-7 ", type: "user_id" },
      { id: "null", type: "anonymous_id" },
    ];
    const out = extractIdentifiers(event("track", { event: "x", context: { externalIds } }), settings);
    expect(out.identifiers).toEqual([
      { type: "user_id", value: "U-7" },
      { type: "email", value: "jane@example.com" },
      { type: "phone", value: "+12015550123" },
      { type: "stripe_customer_id", value: "S-9" },
      { type: "zendesk_id", value: "Z-1" },
    ]);
    expect(out.rejected).toEqual([{ type: "anonymous_id", value: "null", reason: "is a blocked value" }]);
  });

  it("refuses group_id external ids and external ids without a usable type", () => {
    const externalIds = [{ id: "acme", type: "Group ID" }, { id: "x1" }, { id: "x2", type: "---" }, { id: "x3", type: "3rd party" }, { id: "x4", type: 7 }, "loose", 12];
    const out = extractIdentifiers(event("track", { context: { externalIds } }), settings);
    expect(out.identifiers).toEqual([]);
    expect(out.rejected).toEqual([
      { type: "group_id", value: "acme", reason: "group_id identifies accounts, not people" },
      { type: "", value: "x1", reason: "external id has no valid type" },
      { type: "---", value: "x2", reason: "external id has no valid type" },
      { type: "3rd party", value: "x3", reason: "external id has no valid type" },
      { type: "", value: "x4", reason: "external id has no valid type" },
      { type: "", value: "loose", reason: "external id has no valid type" },
      { type: "", value: "12", reason: "external id has no valid type" },
    ]);
  });

  it("maps traits to identifier types with traitIdentifiers", () => {
    const s: IdentitySettings = { ...settings, traitIdentifiers: { loyalty_number: "loyalty_id", crm: "crm_id", work_email: "email", account: "group_id" } };
    const out = extractIdentifiers(
      event("identify", {
        traits: { loyalty_number: 123456, work_email: "JANE@WORK.example.com", account: "acme", unrelated: "x" },
        context: { traits: { crm: "C-1", loyalty_number: "123456" } },
      }),
      s,
    );
    expect(out.identifiers).toEqual([
      { type: "email", value: "jane@work.example.com" },
      { type: "crm_id", value: "C-1" },
      { type: "loyalty_id", value: "123456" },
    ]);
    expect(out.rejected).toEqual([{ type: "group_id", value: "acme", reason: "group_id identifies accounts, not people" }]);
  });

  it("maps traits on other types only from context.traits", () => {
    const s: IdentitySettings = { ...settings, traitIdentifiers: { crm: "crm_id" } };
    const out = extractIdentifiers(event("track", { traits: { crm: "C-top" }, context: { traits: { crm: "C-ctx" } } }), s);
    expect(out.identifiers).toEqual([{ type: "crm_id", value: "C-ctx" }]);
  });

  it("does not read inherited properties as traits", () => {
    const s: IdentitySettings = { ...settings, traitIdentifiers: { constructor: "crm_id", toString: "crm_id" } };
    const out = extractIdentifiers(event("identify", { traits: {} }), s);
    expect(out).toMatchObject({ identifiers: [], rejected: [] });
  });
});

describe("extractIdentifiers: rejection, dedupe and order", () => {
  it("reports what normalisation refused, with the value as received", () => {
    const out = extractIdentifiers(
      event("identify", { traits: { email: "not-an-email", phone: "12345" }, context: { device: { id: { nested: true } } } }, { userId: "null", anonymousId: "  " }),
      settings,
    );
    expect(out.identifiers).toEqual([]);
    expect(out.rejected).toEqual([
      { type: "user_id", value: "null", reason: "is a blocked value" },
      { type: "anonymous_id", value: "  ", reason: "is empty" },
      { type: "device_id", value: "[object Object]", reason: "must be a string or number" },
      { type: "email", value: "not-an-email", reason: "is not an email address" },
      { type: "phone", value: "12345", reason: "is not a valid phone number" },
    ]);
  });

  it("treats null and missing values as absent, not rejected", () => {
    const out = extractIdentifiers(event("identify", { traits: { email: null, phone: undefined }, context: { device: { id: null } } }), settings);
    expect(out).toEqual({ identifiers: [], rejected: [], account: null, previousId: null });
  });

  it("cuts rejected values to 200 characters", () => {
    const long = "x".repeat(600);
    const out = extractIdentifiers(event("track", {}, { userId: long }), settings);
    expect(out.rejected).toEqual([{ type: "user_id", value: "x".repeat(200), reason: "is longer than 512 characters" }]);

    const emoji = `${"x".repeat(199)}😀${"x".repeat(400)}`;
    expect(extractIdentifiers(event("track", {}, { userId: emoji }), settings).rejected[0].value).toBe("x".repeat(199));
  });

  it("collapses duplicates after normalisation, and repeated rejections", () => {
    const out = extractIdentifiers(
      event("identify", {
        traits: { email: "Jane@Example.com", phone: "n/a" },
        context: { traits: { email: "mailto:jane@example.com ", phone: "n/a" }, externalIds: [{ id: "JANE@example.com", type: "email" }, { id: "U1", type: "user_id" }] },
      }, { userId: "U1" }),
      settings,
    );
    expect(out.identifiers).toEqual([
      { type: "user_id", value: "U1" },
      { type: "email", value: "jane@example.com" },
    ]);
    expect(out.rejected).toEqual([{ type: "phone", value: "n/a", reason: "is not a valid phone number" }]);
  });

  it("keeps case-distinct user ids apart", () => {
    const out = extractIdentifiers(event("track", { context: { externalIds: [{ id: "abc", type: "user_id" }] } }, { userId: "ABC" }), settings);
    expect(out.identifiers).toEqual([
      { type: "user_id", value: "ABC" },
      { type: "user_id", value: "abc" },
    ]);
  });

  it("orders by priority, then type name, then value", () => {
    const s: IdentitySettings = { ...settings, priority: ["email", "loyalty_id", "user_id"] };
    const externalIds = [
      { id: "b", type: "zeta_id" },
      { id: "L2", type: "loyalty_id" },
      { id: "a", type: "zeta_id" },
      { id: "L1", type: "loyalty_id" },
      { id: "x", type: "alpha_id" },
    ];
    const out = extractIdentifiers(
      event("identify", { traits: { email: "b@example.com" }, context: { traits: { email: "a@example.com" }, device: { id: "d1" }, externalIds } }, { userId: "u1", anonymousId: "anon" }),
      s,
    );
    expect(out.identifiers.map((i) => `${i.type}:${i.value}`)).toEqual([
      "email:a@example.com",
      "email:b@example.com",
      "loyalty_id:L1",
      "loyalty_id:L2",
      "user_id:u1",
      "alpha_id:x",
      "anonymous_id:anon",
      "device_id:d1",
      "zeta_id:a",
      "zeta_id:b",
    ]);
  });

  it(`keeps the strongest ${MAX_IDENTIFIERS_PER_EVENT} identifiers and rejects the rest`, () => {
    const externalIds = Array.from({ length: 60 }, (_, i) => ({ id: `d${String(i).padStart(2, "0")}`, type: "device_id" }));
    const out = extractIdentifiers(event("track", { context: { externalIds } }, { userId: "u1" }), settings);
    expect(out.identifiers).toHaveLength(MAX_IDENTIFIERS_PER_EVENT);
    expect(out.identifiers[0]).toEqual({ type: "user_id", value: "u1" });
    expect(out.identifiers.at(-1)).toEqual({ type: "device_id", value: "d48" });
    expect(out.rejected).toHaveLength(11);
    expect(out.rejected[0]).toEqual({ type: "device_id", value: "d49", reason: "too many identifiers on one event" });
    expect(out.rejected.at(-1)).toEqual({ type: "device_id", value: "d59", reason: "too many identifiers on one event" });
  });
});

describe("extractIdentifiers: group and alias", () => {
  it("returns the account of group calls, separate from the person", () => {
    const out = extractIdentifiers(event("group", { groupId: " Acme-1 ", traits: { name: "Acme" } }, { userId: "u1" }), settings);
    expect(out.account).toEqual({ type: "group_id", value: "Acme-1" });
    expect(out.identifiers).toEqual([{ type: "user_id", value: "u1" }]);
  });

  it("accepts numeric group ids and rejects blocked ones", () => {
    expect(extractIdentifiers(event("group", { groupId: 42 }), settings).account).toEqual({ type: "group_id", value: "42" });
    const out = extractIdentifiers(event("group", { groupId: "undefined" }), settings);
    expect(out.account).toBeNull();
    expect(out.rejected).toEqual([{ type: "group_id", value: "undefined", reason: "is a blocked value" }]);
  });

  it("ignores groupId outside group calls", () => {
    expect(extractIdentifiers(event("track", { groupId: "acme" }), settings).account).toBeNull();
  });

  it("returns the previousId of alias calls", () => {
    const out = extractIdentifiers(event("alias", { previousId: " anon-7 " }, { userId: "u1" }), settings);
    expect(out.previousId).toBe("anon-7");
    expect(out.identifiers).toEqual([{ type: "user_id", value: "u1" }]);
    expect(extractIdentifiers(event("alias", { previousId: 1234 }), settings).previousId).toBe("1234");
  });

  it("rejects a blocked or malformed previousId", () => {
    for (const previousId of ["anonymous", -1, { id: 1 }]) {
      const out = extractIdentifiers(event("alias", { previousId }, { userId: "u1" }), settings);
      expect(out.previousId).toBeNull();
      expect(out.rejected).toHaveLength(1);
      expect(out.rejected[0].type).toBe("previous_id");
    }
  });

  it("ignores previousId outside alias calls", () => {
    expect(extractIdentifiers(event("identify", { previousId: "anon-7" }), settings).previousId).toBeNull();
  });
});

describe("extractIdentifiers: malformed messages", () => {
  const shapes: Record<string, unknown>[] = [
    {},
    { context: "ctx" },
    { context: null },
    { context: [] },
    { context: 5 },
    { context: { traits: "t", device: "d", externalIds: "e" } },
    { context: { traits: [], device: [], externalIds: { id: "x", type: "crm" } } },
    { context: { traits: null, device: null, externalIds: null } },
    { context: { externalIds: [null, undefined, [], "x", 1, { id: null, type: "crm" }, { id: "c", type: "crm", collection: 5 }] } },
    { traits: "t" },
    { traits: ["jane@example.com"] },
    { traits: null },
    { groupId: {}, previousId: [] },
    { context: Object.create(null) as unknown },
  ];

  for (const type of ["identify", "track", "page", "screen", "group", "alias", "weird"]) {
    it.each(shapes)(`${type} never throws on %j`, (raw) => {
      const out = extractIdentifiers({ type, userId: null, anonymousId: null, raw }, settings);
      expect(out.identifiers).toEqual([]);
      expect(out.account).toBeNull();
      expect(out.previousId).toBeNull();
    });
  }

  it("survives a raw that is not an object at all", () => {
    const out = extractIdentifiers({ type: "identify", userId: "u1", anonymousId: null, raw: "nope" as unknown as Record<string, unknown> }, settings);
    expect(out.identifiers).toEqual([{ type: "user_id", value: "u1" }]);
  });

  it("describes values without a prototype", () => {
    const out = extractIdentifiers(event("identify", { traits: { email: Object.create(null) as unknown } }), settings);
    expect(out.rejected).toEqual([{ type: "email", value: "[object Object]", reason: "must be a string or number" }]);
  });
});

describe("externalIdType", () => {
  it.each([
    ["Zendesk ID", "zendesk_id"],
    ["stripe-customer-id", "stripe_customer_id"],
    ["  __Weird!!Type__ ", "weird_type"],
    ["ga4.client_id", "ga4_client_id"],
    ["userId", "userid"],
    ["ÜberID", "berid"],
    ["***", ""],
  ])("%s → %s", (input, type) => {
    expect(externalIdType(input)).toBe(type);
  });
});
