import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import { describe, expect, it } from "vitest";
import { normalizeMessage } from "@/lib/ingest/normalize-message";
import { generatePopulation, JUNK_IDENTIFIERS, type SyntheticMessage, type SyntheticPopulation } from "@/lib/identity/synthetic-population";

const start = new Date("2025-03-01T00:00:00.000Z");
const days = 90;
const population = generatePopulation({ seed: 42, people: 2000, start, days });
const { people, messages, sharedIdentifiers } = population;

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === "object" && v !== null ? (v as Obj) : {});
const context = (m: SyntheticMessage) => obj(m.message.context);
const traits = (m: SyntheticMessage) => obj(m.message.traits);
const contextTraits = (m: SyntheticMessage) => obj(context(m).traits);
const deviceId = (m: SyntheticMessage) => obj(context(m).device).id as string | undefined;
const externalIds = (m: SyntheticMessage) => (context(m).externalIds ?? []) as { id: string; type: string }[];
const bySource = (source: SyntheticMessage["source"]) => messages.filter((m) => m.source === source);

const e164 = (raw: string) => {
  const p = parsePhoneNumberFromString(raw, "US");
  return p?.isValid() ? p.number : null;
};

/** Normalised identifiers of a message, as "type:value" keys. */
function identifiers(m: SyntheticMessage): string[] {
  const out: [string, unknown][] = [
    ["user_id", m.message.userId],
    ["anonymous_id", m.message.anonymousId],
    ["email", traits(m).email],
    ["email", contextTraits(m).email],
    ["phone", traits(m).phone],
    ["phone", contextTraits(m).phone],
    ["loyalty_id", contextTraits(m).loyalty_id],
    ["device_id", deviceId(m)],
    ...externalIds(m).map((x): [string, unknown] => [x.type, x.id]),
  ];
  const keys: string[] = [];
  for (const [type, value] of out) {
    if (typeof value !== "string") continue;
    const normalised = type === "email" ? value.trim().toLowerCase() : type === "phone" ? e164(value) : value;
    if (normalised === null) throw new Error(`unparseable phone ${value}`);
    keys.push(`${type}:${normalised}`);
  }
  return keys;
}

describe("generatePopulation", () => {
  it("is deterministic per seed", () => {
    const again = generatePopulation({ seed: 42, people: 300, start, days });
    expect(generatePopulation({ seed: 42, people: 300, start, days })).toEqual(again);
    const other = generatePopulation({ seed: 43, people: 300, start, days });
    expect(JSON.stringify(other.people)).not.toEqual(JSON.stringify(again.people));
    expect(JSON.stringify(other.messages)).not.toEqual(JSON.stringify(again.messages));
    expect(again.messages[0].message.messageId).toBe("syn-42-1");
    expect(other.messages[0].message.messageId).toBe("syn-43-1");
  });

  it("has unique message ids, sorted timestamps inside the window, and 15–25 messages per person", () => {
    expect(people).toHaveLength(2000);
    expect(new Set(messages.map((m) => m.message.messageId)).size).toBe(messages.length);
    const times = messages.map((m) => Date.parse(m.message.timestamp as string));
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1]);
    expect(times[0]).toBeGreaterThanOrEqual(start.getTime());
    expect(times.at(-1)).toBeLessThan(start.getTime() + days * 86_400_000);
    const perPerson = messages.length / people.length;
    expect(perPerson).toBeGreaterThanOrEqual(15);
    expect(perPerson).toBeLessThanOrEqual(25);
    const counts = new Set(messages.map((m) => m.person));
    expect(counts.size).toBe(people.length); // everybody has messages
  });

  it("produces messages the tracking API accepts", () => {
    const receivedAt = new Date("2025-06-01T00:00:00.000Z");
    for (const m of messages) {
      const r = normalizeMessage(m.message, null, { receivedAt });
      if (!r.ok) throw new Error(`${JSON.stringify(m.message)}: ${r.problem.field} ${r.problem.message}`);
      expect(r.message.messageId).toBe(m.message.messageId);
    }
  });

  it("gives people valid, unique identities", () => {
    for (const p of people) {
      expect(e164(p.phone)).toBe(p.phone);
      expect(p.email).toMatch(/^[a-z0-9._]+@[a-z.]+$/);
    }
    for (const key of ["email", "phone", "userId"] as const) {
      const values = people.map((p) => p[key]).filter((v) => v !== null);
      expect(new Set(values).size).toBe(values.length);
    }
  });

  it("covers every scenario", () => {
    // Web: anonymous page views, then a sign-in identify with userId + the same anonymousId.
    const web = bySource("web");
    expect(web.some((m) => m.message.type === "page" && !m.message.userId)).toBe(true);
    expect(web.some((m) => m.message.type === "track" && !m.message.userId)).toBe(true);
    const signIns = messages.filter((m) => (m.source === "web" || m.source === "app") && m.message.type === "identify" && m.message.userId);
    expect(signIns.length).toBeGreaterThan(1000);
    expect(signIns.some((m) => traits(m).phone)).toBe(true);
    expect(signIns.every((m) => traits(m).email && traits(m).name && m.message.anonymousId)).toBe(true);
    for (const signIn of signIns.slice(0, 50)) {
      const before = messages.filter((m) => m.message.anonymousId === signIn.message.anonymousId && !m.message.userId);
      expect(before.length).toBeGreaterThan(0);
    }
    // App: screen + track with anonymousId and context.device.id.
    const app = bySource("app");
    expect(app.some((m) => m.message.type === "screen" && deviceId(m) && !m.message.userId)).toBe(true);
    expect(app.some((m) => m.message.type === "track" && deviceId(m))).toBe(true);
    // Two browsers/devices, signed in on both.
    const signInDevices = new Map<number, Set<unknown>>();
    for (const m of signIns) signInDevices.set(m.person, (signInDevices.get(m.person) ?? new Set()).add(m.message.anonymousId));
    const twoDevices = [...signInDevices.values()].filter((s) => s.size === 2).length;
    expect(twoDevices).toBeGreaterThan(200);
    // Never signing in: some leave their email in a newsletter form, some are never on web/app.
    const neverSignIn = people.filter((p) => p.userId === null);
    expect(neverSignIn.length).toBeGreaterThan(300);
    expect(web.some((m) => m.message.type === "identify" && !m.message.userId && traits(m).email)).toBe(true);
    const onWebOrApp = new Set([...web, ...app].map((m) => m.person));
    expect(neverSignIn.some((p) => !onWebOrApp.has(p.index))).toBe(true);
    expect(messages.every((m) => !m.message.userId || people[m.person].userId === m.message.userId)).toBe(true);

    // CRM: crm_id external ids, untidy emails and phones; userId when the person has one.
    const crm = bySource("crm");
    expect(crm.every((m) => m.message.type === "identify" && externalIds(m)[0]?.type === "crm_id")).toBe(true);
    expect(crm.every((m) => (people[m.person].userId ? m.message.userId === people[m.person].userId : m.message.anonymousId === externalIds(m)[0].id))).toBe(true);
    expect(crm.some((m) => m.message.anonymousId && !m.message.userId)).toBe(true);
    const crmEmails = crm.map((m) => traits(m).email as string);
    expect(crmEmails.some((e) => e !== e.trim())).toBe(true);
    expect(crmEmails.some((e) => e.trim() !== e.trim().toLowerCase())).toBe(true);
    const crmPhones = crm.map((m) => traits(m).phone).filter((p): p is string => typeof p === "string");
    expect(crmPhones.some((p) => p.startsWith("+1 ("))).toBe(true);
    expect(crmPhones.some((p) => /^\d{3}-\d{3}-\d{4}$/.test(p))).toBe(true);
    expect(crm.every((m) => traits(m).first_name && traits(m).last_name && traits(m).plan && traits(m).city)).toBe(true);

    // POS: Order Completed with a national-format phone and a loyalty id.
    const pos = bySource("pos");
    expect(pos.length).toBeGreaterThan(500);
    for (const m of pos) {
      expect(m.message).toMatchObject({ type: "track", event: "Order Completed", properties: { currency: "USD" } });
      expect(m.message.anonymousId).toMatch(/^pos-\d+$/);
      expect(contextTraits(m).phone).toMatch(/^\(?\d{3}\)?[ .-]?\d{3}[ .-]\d{4}$/);
      expect(contextTraits(m).loyalty_id).toMatch(/^LOY\d{8}$/);
    }

    // Email platform: opens and clicks with a lower-case email.
    const email = bySource("email");
    expect(new Set(email.map((m) => m.message.event))).toEqual(new Set(["Email Opened", "Email Clicked"]));
    expect(email.every((m) => contextTraits(m).email === people[m.person].email && /^esp-\d+$/.test(m.message.anonymousId as string))).toBe(true);

    // Support desk: phone only, zendesk ids.
    const support = bySource("support");
    expect(support.length).toBeGreaterThan(100);
    expect(support.every((m) => m.message.type === "identify" && traits(m).phone && !traits(m).email && externalIds(m)[0]?.type === "zendesk_id")).toBe(true);
    expect(support.every((m) => /^zd-\d+$/.test(m.message.anonymousId as string))).toBe(true);

    // Shared family devices: each id on two people's app messages, each with their own userId and anonymousId.
    expect(sharedIdentifiers.length).toBeGreaterThanOrEqual(5);
    for (const shared of sharedIdentifiers) {
      expect(shared.type).toBe("device_id");
      const onDevice = app.filter((m) => deviceId(m) === shared.value);
      expect(new Set(onDevice.map((m) => m.person)).size).toBe(2);
      const signedIn = onDevice.filter((m) => m.message.type === "identify");
      expect(new Set(signedIn.map((m) => m.message.userId)).size).toBe(2);
      expect(new Set(signedIn.map((m) => m.message.anonymousId)).size).toBe(2);
    }

    // Junk identifiers of every kind, on many people's messages.
    for (const junk of JUNK_IDENTIFIERS) {
      const carriers = messages.filter((m) => (junk.type === "email" ? contextTraits(m).email : deviceId(m)) === junk.value);
      expect(new Set(carriers.map((m) => m.person)).size, `${junk.type} ${JSON.stringify(junk.value)}`).toBeGreaterThan(20);
    }
  });

  it("writes valid US phone numbers in every message", () => {
    for (const m of messages) {
      for (const phone of [traits(m).phone, contextTraits(m).phone]) {
        if (phone === undefined) continue;
        expect(e164(phone as string), String(phone)).toBe(people[m.person].phone);
      }
    }
  });

  it("lets every person's messages be linked into exactly one component, never two people's", () => {
    assertLinkable(population);
    assertLinkable(generatePopulation({ seed: 7, people: 500, start, days: 30 }));
  });
});

/** Union-find over messages joined by equal normalised identifiers, shared and junk values left out. */
function assertLinkable({ people, messages, sharedIdentifiers }: SyntheticPopulation) {
  const excluded = new Set([...sharedIdentifiers, ...JUNK_IDENTIFIERS].map((x) => `${x.type}:${x.value}`));
  const parent = messages.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  const firstWith = new Map<string, number>();
  messages.forEach((m, i) => {
    for (const key of identifiers(m)) {
      if (excluded.has(key)) continue;
      const j = firstWith.get(key);
      if (j === undefined) firstWith.set(key, i);
      else parent[find(i)] = find(j);
    }
  });
  const componentPeople = new Map<number, Set<number>>();
  const personComponents = new Map<number, Set<number>>();
  messages.forEach((m, i) => {
    const c = find(i);
    componentPeople.set(c, (componentPeople.get(c) ?? new Set()).add(m.person));
    personComponents.set(m.person, (personComponents.get(m.person) ?? new Set()).add(c));
  });
  const mixed = [...componentPeople.values()].filter((s) => s.size > 1);
  expect(mixed).toEqual([]);
  const split = people.filter((p) => (personComponents.get(p.index)?.size ?? 0) !== 1).map((p) => p.index);
  expect(split).toEqual([]);
}
