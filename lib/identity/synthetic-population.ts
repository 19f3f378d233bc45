// A synthetic customer population with known truth: people, and the Segment-spec messages their
// browsers, apps and the company's other systems (CRM, point of sale, email platform, support desk)
// would send to /v1/batch about them. Used by the identity-resolution quality test (which sends the
// messages through the real tracking API and scores the resulting profiles against `person`) and
// by the demo seed. Pure: everything comes from a seeded PRNG, so a seed always yields the same
// population, byte for byte.
//
// Scenarios, as shares of people (independent draws per person unless noted; see SCENARIO_SHARES):
// - 75% sign in on web/app (have a userId). Each of their devices is a web browser (65%) or an app
//   install (35%); they browse anonymously (page/track, or screen/track with context.device.id),
//   then sign in: an identify with userId + that device's anonymousId + traits (email, name, and
//   for 40% the phone). 25% of them use a second browser/device and sign in there too.
// - 25% never sign in (userId null). Half of them browse the web anonymously and leave their
//   email in a newsletter form (identify with anonymousId + traits.email, no userId); the other
//   half are never seen on web/app at all and exist only in the other systems.
// - 60% have a CRM record: 1–2 identify calls with context.externalIds crm_id "crm-<n>", the email
//   written untidily (case, surrounding spaces), and for 60% (more when needed, see below) the
//   phone in assorted national/international formats. CRM messages carry the person's userId when
//   they have one, else anonymousId "crm-<n>" (Segment needs userId or anonymousId, and a CRM sync
//   would use its own record id).
// - 35% buy in a store: 1–5 POS "Order Completed" tracks, anonymousId "pos-<receipt>", with
//   context.traits.phone (national format) and context.traits.loyalty_id.
// - 55% get marketing email: 1–4 "Email Opened" tracks, half of them followed by "Email Clicked",
//   anonymousId "esp-<n>", context.traits.email in lower case.
// - 15% contact support: 1–2 identify calls, anonymousId "zd-<n>", traits.phone only (no email),
//   context.externalIds zendesk_id.
// - 1% of people (rounded to whole households of two, among people who sign in on an app) share an
//   app install with a household member: the same context.device.id on both people's app
//   messages, each with their own anonymousId and userId. These device ids are sharedIdentifiers.
// - 4% of messages carry an extra junk identifier: context.traits.email "null"/"undefined"/"" or
//   context.device.id "00000000-0000-0000-0000-000000000000"/"0" (see JUNK_IDENTIFIERS).
// Linkability: a person with both email-carrying messages (sign-in/newsletter identify, CRM, email
// platform) and phone-only ones (POS, support) always has a message carrying both (phone on the
// CRM record, else on a web/app identify, else an extra CRM record is added), so every message of
// a person connects to the others through equal-after-normalisation identifiers. Emails, phones,
// userIds, anonymousIds, device ids (except the shared ones) and loyalty ids are unique per person.
// A person the draws left without any message gets a CRM record (so CRM ends up near 63%).
// About 19 messages per person; 2,000 people take well under a second.

export type SyntheticSourceKind = "web" | "app" | "crm" | "pos" | "email" | "support";

export interface SyntheticMessage {
  /** A Segment-spec message as an SDK would send it to /v1/batch (type, messageId, userId/anonymousId, traits/context/properties/event/name/groupId, timestamp ISO string). */
  message: Record<string, unknown>;
  source: SyntheticSourceKind;
  /** Index of the person this message truly belongs to. */
  person: number;
}

export interface SyntheticPerson {
  index: number;
  firstName: string;
  lastName: string;
  email: string;
  /** E.164 */
  phone: string;
  /** null: never signs in on web/app. */
  userId: string | null;
}

export interface SyntheticPopulation {
  people: SyntheticPerson[];
  /** Sorted by timestamp. */
  messages: SyntheticMessage[];
  /** Identifier values shared by several people on purpose (e.g. a family device id): resolution must never merge people through them. */
  sharedIdentifiers: { type: string; value: string }[];
}

/** Shares of people (or messages, for junk) per scenario; documented at the top of this file. */
export const SCENARIO_SHARES = {
  signsIn: 0.75,
  /** Of people who never sign in: browse the web and leave their email in a newsletter form. */
  newsletter: 0.5,
  /** Of people who sign in: a second browser/app install, signed in too. */
  secondDevice: 0.25,
  /** Of devices: an app install rather than a web browser. */
  appDevice: 0.35,
  /** Of people who sign in: phone among the sign-in traits. */
  phoneOnSignIn: 0.4,
  crm: 0.6,
  /** Of CRM records: the phone is on the record. */
  crmPhone: 0.6,
  pos: 0.35,
  email: 0.55,
  support: 0.15,
  /** People in two-person households sharing one app install. */
  sharedDevice: 0.01,
  /** Of messages: an extra junk identifier. */
  junk: 0.04,
} as const;

/** Junk identifier values sprinkled on messages; Tessera's default blocked values/patterns cover them. */
export const JUNK_IDENTIFIERS: readonly { type: "email" | "device_id"; value: string }[] = [
  { type: "email", value: "null" },
  { type: "email", value: "undefined" },
  { type: "email", value: "" },
  { type: "device_id", value: "00000000-0000-0000-0000-000000000000" },
  { type: "device_id", value: "0" },
];

const FIRST_NAMES = ["Ann", "Ben", "Carla", "David", "Elena", "Farid", "Grace", "Hiro", "Ines", "James", "Keiko", "Liam", "Maria", "Noah", "Olivia", "Priya", "Quinn", "Rosa", "Samuel", "Tara", "Umar", "Vera", "Wei", "Yusuf", "Zoe"];
const LAST_NAMES = ["Smith", "Johnson", "Garcia", "Nguyen", "Brown", "Miller", "Davis", "Martinez", "Lopez", "Wilson", "Anderson", "Thomas", "Moore", "Jackson", "Lee", "Harris", "Clark", "Lewis", "Walker", "Young", "Patel", "Kim", "Chen", "Rossi", "Novak"];
const EMAIL_DOMAINS = ["example.com", "example.org", "example.net", "mail.example.com", "inbox.example.org"];
// US area codes with the city they belong to; exchanges are drawn from 200–999 minus N11 and 555.
const AREAS: readonly { code: string; city: string }[] = [
  { code: "201", city: "Jersey City" },
  { code: "212", city: "New York" },
  { code: "312", city: "Chicago" },
  { code: "303", city: "Denver" },
  { code: "206", city: "Seattle" },
  { code: "404", city: "Atlanta" },
  { code: "415", city: "San Francisco" },
  { code: "512", city: "Austin" },
  { code: "617", city: "Boston" },
  { code: "713", city: "Houston" },
];
const PLANS = ["free", "basic", "plus", "premium"];
const PRODUCTS: readonly { id: string; name: string; category: string; price: number }[] = [
  { id: "sku-1001", name: "Trail Runner Shoes", category: "shoes", price: 89.9 },
  { id: "sku-1002", name: "Merino Hoodie", category: "apparel", price: 74.5 },
  { id: "sku-1003", name: "Canvas Backpack", category: "bags", price: 59 },
  { id: "sku-1004", name: "Rain Jacket", category: "apparel", price: 129 },
  { id: "sku-1005", name: "Wool Socks (3 pack)", category: "apparel", price: 19.9 },
  { id: "sku-1006", name: "Water Bottle", category: "accessories", price: 24 },
];
const SEARCHES = ["running shoes", "rain jacket", "backpack", "gift card", "socks"];
const CAMPAIGNS = [
  { id: "cmp-spring-sale", subject: "Spring sale: 20% off outdoor gear" },
  { id: "cmp-new-arrivals", subject: "New arrivals are here" },
  { id: "cmp-loyalty", subject: "You have points waiting" },
  { id: "cmp-abandoned-cart", subject: "Still thinking it over?" },
];
const STORES = ["store-nyc-01", "store-bos-02", "store-sf-03", "store-chi-04"];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** mulberry32: a small, fast 32-bit PRNG; plenty for test data. */
class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  float(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.float() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)];
  }
  hex(length: number): string {
    let s = "";
    for (let i = 0; i < length; i++) s += Math.floor(this.float() * 16).toString(16);
    return s;
  }
  /** A version-4-shaped UUID. */
  uuid(): string {
    const h = this.hex(32);
    const variant = "89ab"[Math.floor(this.float() * 4)];
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.float() * (i + 1));
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }
}

interface Phone {
  area: string;
  exchange: string;
  line: string;
  city: string;
}

interface Device {
  kind: "web" | "app";
  anonymousId: string;
  /** App installs only. */
  deviceId: string | null;
  platform: "ios" | "android" | "chrome" | "safari" | "firefox";
  /** userId: signs in; newsletter: leaves the email in a form but never signs in. */
  identifies: "userId" | "newsletter";
}

interface Plan {
  person: SyntheticPerson;
  phone: Phone;
  devices: Device[];
  phoneOnIdentify: boolean;
  crm: boolean;
  crmPhone: boolean;
  pos: boolean;
  email: boolean;
  support: boolean;
}

interface Draft {
  at: number;
  seq: number;
  source: SyntheticSourceKind;
  person: number;
  body: Record<string, unknown>;
}

const titleCase = (s: string) => s.replace(/(^|[._-])([a-z])/g, (_, sep: string, c: string) => sep + c.toUpperCase());

/** How a CRM might hold an email: case changed, padded with spaces, or (sometimes) as typed. */
function untidyEmail(rng: Rng, email: string): string {
  const [local, domain] = email.split("@");
  const style = rng.int(0, 4);
  let out = email;
  if (style === 0) out = email.toUpperCase();
  else if (style === 1) out = `${titleCase(local)}@${titleCase(domain).replace(/\.([a-z]+)$/, (_, tld: string) => `.${tld.toUpperCase()}`)}`;
  else if (style === 2) out = `${titleCase(local)}@${domain}`;
  if (rng.chance(0.5)) out = `${" ".repeat(rng.int(1, 2))}${out}${" ".repeat(rng.int(0, 1))}`;
  return out;
}

const NATIONAL_FORMATS: readonly ((p: Phone) => string)[] = [
  (p) => `(${p.area}) ${p.exchange}-${p.line}`,
  (p) => `${p.area}-${p.exchange}-${p.line}`,
  (p) => `${p.area}.${p.exchange}.${p.line}`,
  (p) => `${p.area} ${p.exchange} ${p.line}`,
];
const ALL_FORMATS: readonly ((p: Phone) => string)[] = [
  ...NATIONAL_FORMATS,
  (p) => `+1 (${p.area}) ${p.exchange}-${p.line}`,
  (p) => `+1 ${p.area} ${p.exchange} ${p.line}`,
  (p) => `+1-${p.area}-${p.exchange}-${p.line}`,
  (p) => `+1${p.area}${p.exchange}${p.line}`,
];
const e164 = (p: Phone) => `+1${p.area}${p.exchange}${p.line}`;

function randomPhone(rng: Rng): Phone {
  for (;;) {
    const area = rng.pick(AREAS);
    const exchange = String(rng.int(200, 999));
    const line = String(rng.int(0, 9999)).padStart(4, "0");
    if (exchange.endsWith("11") || exchange === "555" || /^(\d)\1*$/.test(exchange + line)) continue;
    return { area: area.code, exchange, line, city: area.city };
  }
}

export function generatePopulation(options: { seed: number; people: number; start: Date; days: number }): SyntheticPopulation {
  const { seed } = options;
  const rng = new Rng(seed);
  const start = options.start.getTime();
  const span = Math.max(1, Math.round(options.days * DAY));
  const taken = new Set<string>();
  const unique = (make: () => string): string => {
    for (;;) {
      const v = make();
      if (!taken.has(v)) {
        taken.add(v);
        return v;
      }
    }
  };

  // 1. People and what they do.
  const plans: Plan[] = [];
  for (let index = 0; index < options.people; index++) {
    const firstName = rng.pick(FIRST_NAMES);
    const lastName = rng.pick(LAST_NAMES);
    const [f, l] = [firstName.toLowerCase(), lastName.toLowerCase()];
    const local = rng.pick([`${f}.${l}`, `${f}${l}`, `${f[0]}.${l}`, `${f}_${l}`, `${l}.${f}`]);
    const domain = rng.pick(EMAIL_DOMAINS);
    let attempt = 0;
    const email = unique(() => (attempt++ === 0 ? `${local}@${domain}` : `${local}${rng.int(2, 9999)}@${domain}`));
    let phone = randomPhone(rng);
    while (taken.has(e164(phone))) phone = randomPhone(rng);
    taken.add(e164(phone));
    const signsIn = rng.chance(SCENARIO_SHARES.signsIn);
    const userId = signsIn ? unique(() => `usr_${rng.hex(12)}`) : null;
    const person: SyntheticPerson = { index, firstName, lastName, email, phone: e164(phone), userId };

    const newDevice = (identifies: Device["identifies"], kind: Device["kind"]): Device => ({
      kind,
      anonymousId: unique(() => rng.uuid()),
      deviceId: kind === "app" ? unique(() => rng.uuid().toUpperCase()) : null,
      platform: kind === "app" ? rng.pick(["ios", "android"] as const) : rng.pick(["chrome", "safari", "firefox"] as const),
      identifies,
    });
    const devices: Device[] = [];
    if (signsIn) {
      const count = rng.chance(SCENARIO_SHARES.secondDevice) ? 2 : 1;
      for (let d = 0; d < count; d++) devices.push(newDevice("userId", rng.chance(SCENARIO_SHARES.appDevice) ? "app" : "web"));
    } else if (rng.chance(SCENARIO_SHARES.newsletter)) {
      devices.push(newDevice("newsletter", "web"));
    }
    const plan: Plan = {
      person,
      phone,
      devices,
      phoneOnIdentify: signsIn && rng.chance(SCENARIO_SHARES.phoneOnSignIn),
      crm: rng.chance(SCENARIO_SHARES.crm),
      crmPhone: rng.chance(SCENARIO_SHARES.crmPhone),
      pos: rng.chance(SCENARIO_SHARES.pos),
      email: rng.chance(SCENARIO_SHARES.email),
      support: rng.chance(SCENARIO_SHARES.support),
    };
    if (devices.length === 0 && !plan.crm && !plan.pos && !plan.email && !plan.support) plan.crm = true;
    // Bridge email-side and phone-side records with one message carrying both.
    const emailSide = devices.length > 0 || plan.crm || plan.email;
    const phoneOnly = plan.pos || plan.support;
    const bridged = (plan.crm && plan.crmPhone) || (devices.length > 0 && plan.phoneOnIdentify);
    if (emailSide && phoneOnly && !bridged) {
      if (plan.crm) plan.crmPhone = true;
      else if (devices.length > 0) plan.phoneOnIdentify = true;
      else plan.crm = plan.crmPhone = true;
    }
    plans.push(plan);
  }

  // 2. Households sharing one app install: the second person's app uses the first one's device id.
  const sharedIdentifiers: { type: string; value: string }[] = [];
  const appUsers = rng.shuffle(plans.filter((p) => p.person.userId && p.devices.some((d) => d.kind === "app")));
  const households = Math.min(Math.floor(appUsers.length / 2), Math.round((options.people * SCENARIO_SHARES.sharedDevice) / 2));
  for (let h = 0; h < households; h++) {
    const a = appUsers[2 * h].devices.find((d) => d.kind === "app")!;
    const b = appUsers[2 * h + 1].devices.find((d) => d.kind === "app")!;
    b.deviceId = a.deviceId;
    b.platform = a.platform;
    sharedIdentifiers.push({ type: "device_id", value: a.deviceId! });
  }

  // 3. Messages.
  const drafts: Draft[] = [];
  const emit = (at: number, source: SyntheticSourceKind, person: number, body: Record<string, unknown>) => {
    if (rng.chance(SCENARIO_SHARES.junk)) addJunk(rng, body);
    drafts.push({ at: Math.min(Math.max(at, 0), span - 1), seq: drafts.length, source, person, body });
  };
  const sessionStart = () => rng.int(0, Math.max(0, span - 2 * HOUR));
  let crmNumber = 10_000;
  let receipt = 500_000;
  let espNumber = 70_000;
  let zendeskNumber = 36_000_000;

  for (const plan of plans) {
    const { person, phone } = plan;
    const i = person.index;
    const fullName = `${person.firstName} ${person.lastName}`;

    plan.devices.forEach((device, d) => {
      const source: SyntheticSourceKind = device.kind;
      const sessions = Array.from({ length: rng.int(1, device.kind === "web" ? 5 : 6) }, sessionStart).sort((x, y) => x - y);
      // The sign-in (or newsletter form) happens in one session after at least one anonymous event;
      // a second device signs in during its first session.
      const identifySession = d === 0 ? rng.int(0, sessions.length - 1) : 0;
      let identified = false;
      let at = -Infinity;
      sessions.forEach((sessionAt, s) => {
        at = Math.max(sessionAt, at + 30 * 60_000); // sessions do not overlap
        const events = rng.int(2, 6);
        const identifyAfter = s === identifySession ? rng.int(1, events - 1) : -1;
        for (let e = 0; e < events; e++) {
          at += rng.int(15, 180) * 1000;
          const ids: Record<string, unknown> = { anonymousId: device.anonymousId };
          if (identified && device.identifies === "userId") ids.userId = person.userId;
          emit(at, source, i, { ...ids, ...browseEvent(rng, device, e === 0, identified && device.identifies === "userId") });
          if (e + 1 === identifyAfter) {
            at += rng.int(5, 60) * 1000;
            identified = true;
            const traits: Record<string, unknown> = { email: rng.chance(0.15) ? titleCase(person.email.split("@")[0]) + "@" + person.email.split("@")[1] : person.email };
            if (device.identifies === "userId") Object.assign(traits, { name: fullName, firstName: person.firstName, lastName: person.lastName });
            if (plan.phoneOnIdentify) traits.phone = rng.chance(0.5) ? person.phone : rng.pick(ALL_FORMATS)(phone);
            const body: Record<string, unknown> = { type: "identify", anonymousId: device.anonymousId, traits, context: deviceContext(device) };
            if (device.identifies === "userId") body.userId = person.userId;
            emit(at, source, i, body);
          }
        }
      });
    });

    if (plan.crm) {
      const crmId = `crm-${++crmNumber}`;
      const records = rng.chance(0.4) ? 2 : 1;
      const city = rng.chance(0.8) ? phone.city : rng.pick(AREAS).city;
      for (let r = 0; r < records; r++) {
        const traits: Record<string, unknown> = { email: untidyEmail(rng, person.email), first_name: person.firstName, last_name: person.lastName, plan: rng.pick(PLANS), city };
        if (plan.crmPhone) traits.phone = rng.pick(ALL_FORMATS)(phone);
        const body: Record<string, unknown> = {
          type: "identify",
          traits,
          context: { externalIds: [{ id: crmId, type: "crm_id", collection: "users", encoding: "none" }], library: { name: "tessera-crm-sync", version: "1.3.0" } },
        };
        if (person.userId) body.userId = person.userId;
        else body.anonymousId = crmId;
        emit(rng.int(0, span - 1), "crm", i, body);
      }
    }

    if (plan.pos) {
      const loyaltyId = unique(() => `LOY${rng.int(10_000_000, 99_999_999)}`);
      const orders = rng.int(1, 5);
      for (let o = 0; o < orders; o++) {
        const n = ++receipt;
        const items = rng.int(1, 3);
        const products = Array.from({ length: items }, () => rng.pick(PRODUCTS));
        const total = Math.round(products.reduce((sum, p) => sum + p.price, 0) * 100) / 100;
        emit(rng.int(0, span - 1), "pos", i, {
          type: "track",
          event: "Order Completed",
          anonymousId: `pos-${n}`,
          properties: { order_id: `R${n}`, store_id: rng.pick(STORES), total, currency: "USD", products: products.map((p) => ({ product_id: p.id, name: p.name, price: p.price, quantity: 1 })) },
          context: { traits: { phone: rng.pick(NATIONAL_FORMATS)(phone), loyalty_id: loyaltyId }, library: { name: "tessera-pos-connector", version: "2.0.4" } },
        });
      }
    }

    if (plan.email) {
      const subscriber = `esp-${++espNumber}`;
      const sends = rng.int(1, 4);
      for (let m = 0; m < sends; m++) {
        const campaign = rng.pick(CAMPAIGNS);
        const opened = rng.int(0, span - 1);
        const properties = () => ({ campaign_id: campaign.id, email_subject: campaign.subject });
        const context = () => ({ traits: { email: person.email.toLowerCase() }, library: { name: "tessera-esp-webhook", version: "1.0.0" } });
        emit(opened, "email", i, { type: "track", event: "Email Opened", anonymousId: subscriber, properties: properties(), context: context() });
        if (rng.chance(0.5)) {
          const clicked = { type: "track", event: "Email Clicked", anonymousId: subscriber, properties: { ...properties(), link_url: "https://shop.example.com/sale" }, context: context() };
          emit(opened + rng.int(5, 600) * 1000, "email", i, clicked);
        }
      }
    }

    if (plan.support) {
      const zendeskId = ++zendeskNumber;
      const tickets = rng.chance(0.5) ? 2 : 1;
      for (let t = 0; t < tickets; t++) {
        emit(rng.int(0, span - 1), "support", i, {
          type: "identify",
          anonymousId: `zd-${zendeskId}`,
          traits: { name: fullName, phone: rng.pick(ALL_FORMATS)(phone) },
          context: { externalIds: [{ id: String(zendeskId), type: "zendesk_id", collection: "users", encoding: "none" }], library: { name: "tessera-zendesk-sync", version: "0.9.2" } },
        });
      }
    }
  }

  drafts.sort((a, b) => a.at - b.at || a.seq - b.seq);
  const messages = drafts.map((d, n): SyntheticMessage => ({
    message: { type: d.body.type, messageId: `syn-${seed}-${n + 1}`, ...d.body, timestamp: new Date(start + d.at).toISOString() },
    source: d.source,
    person: d.person,
  }));
  return { people: plans.map((p) => p.person), messages, sharedIdentifiers };
}

function deviceContext(device: Device): Record<string, unknown> {
  if (device.kind === "app") {
    const ios = device.platform === "ios";
    return {
      device: { id: device.deviceId, type: device.platform, manufacturer: ios ? "Apple" : "Google", model: ios ? "iPhone15,2" : "Pixel 8" },
      os: { name: ios ? "iOS" : "Android", version: ios ? "17.5" : "14" },
      app: { name: "Tessera Shop", version: "4.2.1", build: "421" },
      library: { name: ios ? "analytics-ios" : "analytics-android", version: "4.1.8" },
      locale: "en-US",
    };
  }
  const agents = {
    chrome: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
    safari: "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
    firefox: "Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0",
  } as const;
  return { userAgent: agents[device.platform as keyof typeof agents], locale: "en-US", library: { name: "analytics.js", version: "next-1.84.3" } };
}

/** One browsing event: a page/screen view or a shopping track call. */
function browseEvent(rng: Rng, device: Device, first: boolean, signedIn: boolean): Record<string, unknown> {
  const context = deviceContext(device);
  const product = rng.pick(PRODUCTS);
  const roll = first ? 0 : rng.float();
  if (roll < 0.45) {
    const view = rng.pick([
      { name: "Home", path: "/" },
      { name: "Category", path: `/c/${product.category}` },
      { name: "Product", path: `/p/${product.id}` },
      { name: "Cart", path: "/cart" },
    ]);
    if (device.kind === "app") return { type: "screen", name: view.name, properties: { name: view.name }, context };
    const page = { path: view.path, url: `https://shop.example.com${view.path}`, title: `${view.name} | Tessera Shop`, referrer: first ? rng.pick(["https://www.google.com/", "", "https://news.example.org/"]) : "" };
    return { type: "page", name: view.name, properties: page, context: { ...context, page: { ...page } } };
  }
  const props = { product_id: product.id, name: product.name, category: product.category, price: product.price, currency: "USD" };
  if (roll < 0.75) return { type: "track", event: "Product Viewed", properties: props, context };
  if (roll < 0.85) return { type: "track", event: "Products Searched", properties: { query: rng.pick(SEARCHES) }, context };
  if (roll < 0.95 || !signedIn) return { type: "track", event: "Product Added", properties: { ...props, quantity: 1 }, context };
  const orderId = `W${rng.int(1_000_000, 9_999_999)}`;
  return { type: "track", event: "Order Completed", properties: { order_id: orderId, total: product.price, currency: "USD", products: [{ ...props, quantity: 1 }] }, context };
}

/** Adds a junk identifier where the message has no real one of that type. */
function addJunk(rng: Rng, body: Record<string, unknown>): void {
  const context = (body.context ?? {}) as Record<string, unknown>;
  const device = context.device as Record<string, unknown> | undefined;
  const traits = context.traits as Record<string, unknown> | undefined;
  const useEmail = device?.id ? true : traits?.email ? false : rng.chance(0.5);
  const junk = JUNK_IDENTIFIERS.filter((j) => j.type === (useEmail ? "email" : "device_id"));
  const value = rng.pick(junk).value;
  body.context = useEmail ? { ...context, traits: { ...traits, email: value } } : { ...context, device: { ...device, id: value } };
}
