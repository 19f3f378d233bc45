// A large, realistic population of resolved person profiles, generated set-based in SQL (INSERT …
// SELECT over generate_series) instead of through the tracking API and the pipeline, which would
// take hours for a million people. The rows are the ones the pipeline writes for the same
// traffic (lib/pipeline/apply-resolution.ts): each person browses anonymously on a first device,
// signs in there (identify: user id, e-mail, sometimes a phone, name and plan traits), then
// tracks and views pages; people with more devices sign in on the app too (a new anonymous id,
// traits again). So every event is stored as ingestion stores it (raw message, batch, ids in time
// order), anchored to the strongest identifier it brought (anonymous id before sign-in, user id
// after), and identities and profiles carry the pipeline's counters and lineage. Trait
// observations, candidates and the surviving traits come from the pipeline's own code
// (collectTraits, rebuildTraits) fed with the identify calls. Most people have a handful to a few
// dozen events; one in `heavyEvery` has thousands.
import type pg from "pg";
import { DEFAULT_IDENTITY_SETTINGS } from "../../lib/identity/identity-settings";
import { collectTraits } from "../../lib/pipeline/collect-traits";
import type { PipelineEvent } from "../../lib/pipeline/load-batch-events";
import { rebuildTraits } from "../../lib/pipeline/profile-state";
import { step, writeIngestBookkeeping } from "./population-bookkeeping";
import { syncProfileActivity } from "../../lib/profiles/profile-activity";

export interface PopulationOptions {
  workspaceId: string;
  /** Sources of the traffic: the website (signed-out and device-1 events), the app, the backend (orders). */
  sources: { web: string; app: string; backend: string };
  profiles: number;
  heavyEvery: number;
  log: (message: string) => void;
}

export interface PopulationCounts {
  profiles: number;
  identities: number;
  events: number;
  /** Trait values seen (candidates over all profiles and traits). */
  traitCandidates: number;
}

/** Staging tables and helper functions live here and go when generation ends. */
const SCHEMA = "bench_gen";
/** Rows per statement of the big inserts, run by two sessions at once (one per core). */
const CHUNK = 250_000;
const TRAIT_CHUNK = 10_000;
const SESSIONS = 2;

/** Every value derived from a person is computed in one place, so events, identities and traits agree. */
const FUNCTIONS = `
CREATE FUNCTION bench_gen.iso(ts timestamptz) RETURNS text LANGUAGE sql IMMUTABLE AS
  $$ SELECT to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$;
CREATE FUNCTION bench_gen.anon(n int, device int) RETURNS text LANGUAGE sql IMMUTABLE AS
  $$ SELECT md5(n || ':device:' || device)::uuid::text $$;
CREATE FUNCTION bench_gen.event_name(r int) RETURNS text LANGUAGE sql IMMUTABLE AS
  $$ SELECT CASE WHEN r < 350 THEN 'Product Viewed' WHEN r < 500 THEN 'Product Added' WHEN r < 600 THEN 'Cart Viewed' WHEN r < 680 THEN 'Checkout Started'
                 WHEN r < 750 THEN 'Order Completed' WHEN r < 900 THEN 'Products Searched' ELSE 'Promotion Clicked' END $$;
`;

/** People: who they are and the shape of their history. Phones are unique per n (area, exchange, line). */
const PEOPLE = `
CREATE UNLOGGED TABLE bench_gen.people AS
WITH x AS (
  SELECT n,
    CASE WHEN n % $2 = 0 THEN 1000 + floor(random() * 3000)::int ELSE least(60, 2 + floor(-ln(1 - random()) * 4)::int) END AS events,
    1 + floor(random() * 3)::int AS anon,
    (ARRAY[1, 1, 1, 1, 1, 1, 2, 2, 2, 3])[1 + floor(random() * 10)::int] AS devices,
    random() < 0.4 AS has_phone,
    $3::timestamptz - interval '1 day' * (2 + random() * 363) AS first_at,
    (ARRAY['free', 'free', 'free', 'starter', 'pro'])[1 + floor(random() * 5)::int] AS plan,
    (ARRAY['Anna', 'Ben', 'Chloé', 'David', 'Elif', 'Felix', 'Grace', 'Hiro', 'Ines', 'Jonas', 'Kemal', 'Lena', 'Marta', 'Noah', 'Olga', 'Pavel', 'Queenie', 'Rafael', 'Sofia', 'Tomás', 'Uma', 'Viktor', 'Wen', 'Ximena', 'Yusuf', 'Zoe'])[1 + n % 26] AS first_name,
    (ARRAY['Schmidt', 'Martin', 'Silva', 'Novak', 'Jensen', 'Rossi', 'Kowalski', 'Dubois', 'Yilmaz', 'Tanaka', 'García', 'Smith', 'Müller', 'Larsen', 'Costa', 'Horvat', 'Nguyen', 'Okafor', 'Petrov'])[1 + (n / 26) % 19] AS last_name,
    1 + n % 8 AS place,
    (ARRAY['201', '212', '312', '415', '617', '206'])[1 + n % 6] AS area, 220 + (n / 6 / 10000) % 700 AS exchange, lpad(((n / 6) % 10000)::text, 4, '0') AS line
  FROM generate_series(1, $1::int) n)
SELECT n, gen_random_uuid() AS profile_id, events, least(anon, events - 1) AS anon,
  greatest(1, least(devices, events - least(anon, events - 1))) AS devices, first_at, plan, first_name, last_name,
  'usr_' || substr(md5('user:' || n), 1, 16) AS user_id,
  translate(first_name, 'éáíü', 'eaiu') || '.' || translate(last_name, 'éáíü', 'eaiu') || n || '@' || (ARRAY['gmail.com', 'outlook.com', 'example.org', 'gmx.de', 'icloud.com'])[1 + n % 5] AS email,
  CASE WHEN has_phone THEN format('+1 (%s) %s-%s', area, exchange, line) END AS phone,
  CASE WHEN has_phone THEN format('+1%s%s%s', area, exchange, line) END AS phone_e164,
  (ARRAY['Berlin', 'Lyon', 'Porto', 'Graz', 'Austin', 'Leeds', 'Utrecht', 'Malmö'])[place] AS city,
  (ARRAY['DE', 'FR', 'PT', 'AT', 'US', 'GB', 'NL', 'SE'])[place] AS country
FROM x
`;

/** What each identify says: everything on the first sign-in, e-mail and (perhaps upgraded) plan on another device. */
const TRAITS_FUNCTION = `
CREATE FUNCTION bench_gen.identify_traits(p bench_gen.people, device int) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN device = 1
    THEN jsonb_strip_nulls(jsonb_build_object('email', p.email, 'first_name', p.first_name, 'last_name', p.last_name, 'name', p.first_name || ' ' || p.last_name,
                                              'plan', p.plan, 'city', p.city, 'country', p.country, 'phone', p.phone))
    ELSE jsonb_build_object('email', p.email, 'plan', CASE WHEN (p.n + device) % 3 = 0 THEN 'pro' ELSE p.plan END) END $$
`;

/**
 * Each person's events in time order (millisecond times, as the events table stores them):
 * k = 1…anon signed-out page views on device 1, then signed in; the first event on each device
 * after that is its identify (sign-in), the others are pages and tracks. Numbered in the order
 * they happened: that is the order ingestion assigns event ids.
 */
const EVENTS = `
CREATE UNLOGGED TABLE bench_gen.events AS
WITH s AS (
  SELECT p.n, k,
    date_trunc('milliseconds', p.first_at + ($1::timestamptz - interval '1 hour' - p.first_at) * ((k - 1 + random()) / p.events)) AS ts,
    k > p.anon AS signed_in,
    CASE WHEN k <= p.anon THEN 1 ELSE 1 + ((k - p.anon - 1) * p.devices) / (p.events - p.anon) END AS device,
    CASE WHEN k <= p.anon THEN 'page'
         WHEN k = p.anon + 1 OR ((k - p.anon - 1) * p.devices) / (p.events - p.anon) > ((k - p.anon - 2) * p.devices) / (p.events - p.anon) THEN 'identify'
         WHEN random() < 0.35 THEN 'page' ELSE 'track' END AS type,
    floor(random() * 1000)::int AS r
  FROM bench_gen.people p CROSS JOIN LATERAL generate_series(1, p.events) k),
named AS (SELECT s.*, CASE WHEN type = 'track' THEN bench_gen.event_name(r) END AS event FROM s)
SELECT row_number() OVER (ORDER BY ts, n, k) AS id, n, k, ts, date_trunc('milliseconds', ts + (0.05 + random() * 2.95) * interval '1 second') AS received_at, signed_in, device, type, event, r,
  CASE WHEN event = 'Order Completed' THEN $4::uuid WHEN device = 1 THEN $2::uuid ELSE $3::uuid END AS source_id,
  md5(n || ':' || k)::uuid AS message_id
FROM named ORDER BY ts, n, k
`;

/**
 * The parts of stored messages that do not depend on the person, per (r, device, type): page,
 * properties and library context, built once rather than per event (jsonb building dominates
 * the generation otherwise).
 */
const TEMPLATES = `
CREATE UNLOGGED TABLE bench_gen.templates AS
WITH k AS (
  SELECT r, device, type, CASE WHEN type = 'track' THEN bench_gen.event_name(r) END AS event,
    (ARRAY['/', '/pricing', '/products/sku-' || r % 300, '/cart', '/blog/choosing-trail-shoes', '/account', '/search?q=shoes', '/products/sku-' || (r * 7) % 300])[1 + r % 8] AS path,
    (ARRAY['Home', 'Pricing', 'Trail Runner ' || r % 300, 'Your cart', 'Choosing trail shoes', 'Your account', 'Search', 'Trail Runner ' || (r * 7) % 300])[1 + r % 8] AS title
  FROM generate_series(0, 999) r, generate_series(1, 3) device, unnest(ARRAY['page', 'track', 'identify']) type)
SELECT r, device, type, CASE WHEN type = 'page' THEN title END AS name,
  CASE
    WHEN type = 'page' THEN jsonb_build_object('path', path, 'url', 'https://shop.example.com' || path, 'title', title, 'referrer', CASE WHEN r % 3 = 0 THEN 'https://www.google.com/' ELSE '' END)
    WHEN event IN ('Product Viewed', 'Product Added') THEN jsonb_build_object('product_id', 'sku-' || r % 300, 'name', 'Trail Runner ' || r % 300, 'price', (r * 37) % 200 + 0.99, 'currency', 'EUR', 'category', (ARRAY['shoes', 'jackets', 'socks', 'bags', 'hats'])[1 + r % 5], 'quantity', 1)
    WHEN event IN ('Cart Viewed', 'Checkout Started') THEN jsonb_build_object('cart_id', substr(md5('cart:' || r), 1, 12), 'value', (r * 53) % 400 + 0.5, 'currency', 'EUR')
    WHEN event = 'Order Completed' THEN jsonb_build_object('total', (r * 53) % 400 + 0.5, 'revenue', (r * 53) % 400, 'currency', 'EUR',
                                                           'products', jsonb_build_array(jsonb_build_object('product_id', 'sku-' || r % 300, 'price', (r * 37) % 200 + 0.99, 'quantity', 1 + r % 3)))
    WHEN event = 'Products Searched' THEN jsonb_build_object('query', (ARRAY['trail shoes', 'rain jacket', 'wool socks', 'running hat', 'backpack'])[1 + r % 5])
    WHEN type = 'track' THEN jsonb_build_object('promotion_id', 'promo-' || r % 12, 'name', 'Spring sale', 'position', 'banner') END AS properties,
  CASE
    WHEN event = 'Order Completed' THEN jsonb_build_object('library', jsonb_build_object('name', 'analytics-node', 'version', '2.2.1'))
    WHEN device = 1 THEN jsonb_build_object('library', jsonb_build_object('name', 'analytics.js', 'version', 'npm:next-1.72.0'),
      'page', jsonb_build_object('path', path, 'url', 'https://shop.example.com' || path, 'title', title),
      'userAgent', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
      'locale', 'en-US', 'timezone', 'Europe/Berlin', 'ip', '203.0.113.' || 1 + r % 250)
    ELSE jsonb_build_object('library', jsonb_build_object('name', 'analytics-ios', 'version', '4.1.8'),
      'app', jsonb_build_object('name', 'Shop', 'version', '3.12.0', 'build', '3120', 'namespace', 'com.example.shop'),
      'device', jsonb_build_object('manufacturer', 'Apple', 'model', 'iPhone15,2', 'type', 'ios'), 'os', jsonb_build_object('name', 'iOS', 'version', '18.1'),
      'network', jsonb_build_object('wifi', true, 'cellular', false), 'locale', 'en-US', 'timezone', 'Europe/Berlin', 'ip', '198.51.100.' || 1 + r % 250) END AS context
FROM k
`;

/** Per person: when they were first seen, signed in and last seen, and by which source and message. */
const SUMMARY = `
CREATE UNLOGGED TABLE bench_gen.summary AS
SELECT n, min(ts) AS first_ts, max(ts) FILTER (WHERE NOT signed_in) AS anon_last_ts, min(ts) FILTER (WHERE signed_in) AS signin_ts, max(ts) AS last_ts,
  (array_agg(source_id ORDER BY ts DESC))[1] AS last_source, (array_agg(message_id ORDER BY ts DESC))[1]::text AS last_message,
  array_agg(DISTINCT source_id ORDER BY source_id) AS sources
FROM bench_gen.events GROUP BY n
`;

/**
 * Identities as the pipeline records them: first seen with the event that brought them, last seen
 * with the last event anchored to them (the pipeline notes anchors and new identities only), ids in
 * the order they were created.
 */
const IDENTITIES = `
CREATE UNLOGGED TABLE bench_gen.identities AS
WITH x AS (
  SELECT n, 'anonymous_id' AS type, bench_gen.anon(n, 1) AS value, 0 AS rank, first_ts AS first_at, anon_last_ts AS last_at, $1::uuid AS first_source, $1::uuid AS last_source FROM bench_gen.summary
  UNION ALL SELECT p.n, 'user_id', p.user_id, 1, s.signin_ts, s.last_ts, $1::uuid, s.last_source FROM bench_gen.people p JOIN bench_gen.summary s USING (n)
  UNION ALL SELECT p.n, 'email', lower(p.email), 2, s.signin_ts, s.signin_ts, $1::uuid, $1::uuid FROM bench_gen.people p JOIN bench_gen.summary s USING (n)
  UNION ALL SELECT p.n, 'phone', p.phone_e164, 3, s.signin_ts, s.signin_ts, $1::uuid, $1::uuid FROM bench_gen.people p JOIN bench_gen.summary s USING (n) WHERE p.phone IS NOT NULL
  UNION ALL SELECT n, 'anonymous_id', bench_gen.anon(n, device), 4, ts, ts, $2::uuid, $2::uuid FROM bench_gen.events WHERE type = 'identify' AND device > 1)
SELECT row_number() OVER (ORDER BY first_at, n, rank) AS id, * FROM x
`;

const STORE_IDENTITIES = `
INSERT INTO identities (workspace_id, id, type, value, profile_id, first_seen_at, last_seen_at, first_source_id, last_source_id)
SELECT $1, b.id, b.type, b.value, p.profile_id, b.first_at, b.last_at, b.first_source, b.last_source
FROM bench_gen.identities b JOIN bench_gen.people p USING (n) WHERE b.id BETWEEN $2 AND $3 ORDER BY b.id
`;

/** Timeline anchors: the user id once signed in, the first device's anonymous id before. */
const ANCHORS = `
CREATE UNLOGGED TABLE bench_gen.anchors AS
SELECT n, max(id) FILTER (WHERE type = 'user_id') AS user_identity, min(id) FILTER (WHERE type = 'anonymous_id') AS anon_identity FROM bench_gen.identities GROUP BY n
`;

/** Counters as the pipeline keeps them; traits come later, from the identifies. */
const PROFILES = `
INSERT INTO profiles (workspace_id, id, kind, first_seen_at, last_seen_at, last_source_id, last_message_id, event_count, source_ids, created_at, updated_at)
SELECT $1, p.profile_id, 'user', s.first_ts, s.last_ts, s.last_source, s.last_message, p.events, s.sources, s.first_ts + interval '1 second', s.last_ts + interval '1 second'
FROM bench_gen.people p JOIN bench_gen.summary s USING (n) ORDER BY s.first_ts
`;

/**
 * Events as the tracking API stores them: the normalised message (ids, times) around the template.
 * (JSON_OBJECT … ABSENT ON NULL drops absent fields without walking the nested objects; OFFSET 0
 * keeps the lateral values from being inlined, so each is computed once per event.)
 */
const STORE_EVENTS = `
INSERT INTO events (workspace_id, id, source_id, batch_id, message_id, type, event, user_id, anonymous_id, timestamp, received_at, raw)
SELECT $1, e.id, e.source_id, 1 + (e.id - 1) / 100, u.message_id, e.type, e.event, u.user_id, u.anonymous_id, e.ts, e.received_at,
  JSON_OBJECT('type': e.type, 'messageId': u.message_id, 'userId': u.user_id, 'anonymousId': u.anonymous_id, 'event': e.event, 'name': t.name,
              'traits': CASE WHEN e.type = 'identify' THEN bench_gen.identify_traits(p, e.device) END,
              'properties': CASE WHEN e.event = 'Order Completed' THEN t.properties || jsonb_build_object('order_id', 'ord_' || e.id) ELSE t.properties END,
              'context': t.context, 'integrations': '{}'::jsonb, 'originalTimestamp': u.ts, 'timestamp': u.ts, 'receivedAt': bench_gen.iso(e.received_at)
              ABSENT ON NULL RETURNING jsonb)
FROM bench_gen.events e JOIN bench_gen.people p USING (n) JOIN bench_gen.templates t ON t.r = e.r AND t.device = e.device AND t.type = e.type
  CROSS JOIN LATERAL (SELECT e.message_id::text AS message_id, CASE WHEN e.signed_in THEN p.user_id END AS user_id,
                             CASE WHEN e.event IS DISTINCT FROM 'Order Completed' THEN bench_gen.anon(p.n, e.device) END AS anonymous_id, bench_gen.iso(e.ts) AS ts OFFSET 0) u
WHERE e.id BETWEEN $2 AND $3 ORDER BY e.id
`;

const ANCHOR_EVENTS = `
INSERT INTO event_identities (workspace_id, identity_id, timestamp, event_id, received_at)
SELECT $1, CASE WHEN e.signed_in THEN a.user_identity ELSE a.anon_identity END, e.ts, e.id, e.received_at
FROM bench_gen.events e JOIN bench_gen.anchors a USING (n) WHERE e.id BETWEEN $2 AND $3 ORDER BY e.id
`;

/** The identify calls of a range of people, as the pipeline loads them (traits as stored in the events). */
const IDENTIFIES = `
SELECT e.id::text AS id, e.source_id, e.message_id::text AS message_id, e.ts, p.profile_id, bench_gen.identify_traits(p, e.device) AS traits
FROM bench_gen.events e JOIN bench_gen.people p USING (n) WHERE e.type = 'identify' AND e.n BETWEEN $1 AND $2 ORDER BY e.id
`;

/**
 * Runs `work` over 1…total in ranges of `size`, on SESSIONS connections at once: one statement
 * runs on one core, and the generation is CPU-bound.
 */
async function inRanges(sessions: pg.PoolClient[], total: number, size: number, work: (client: pg.PoolClient, first: number, last: number) => Promise<void>) {
  let next = 1;
  await Promise.all(sessions.map(async (client) => {
    while (next <= total) {
      const first = next;
      next += size;
      await work(client, first, Math.min(total, first + size - 1));
    }
  }));
}

/** The pipeline's trait code over a range of people: observations from their identifies, then candidates and survivors. */
async function writeTraits(client: pg.PoolClient, workspaceId: string, first: number, last: number) {
  const { rows: people } = await client.query<{ profile_id: string }>(`SELECT profile_id FROM bench_gen.people WHERE n BETWEEN $1 AND $2`, [first, last]);
  const { rows } = await client.query<{ id: string; source_id: string; message_id: string; ts: Date; profile_id: string; traits: Record<string, unknown> }>(IDENTIFIES, [first, last]);
  const events: PipelineEvent[] = rows.map((r) => ({
    id: r.id, sourceId: r.source_id, messageId: r.message_id, type: "identify", event: null, userId: null, anonymousId: null, timestamp: r.ts, receivedAt: r.ts, raw: { traits: r.traits },
  }));
  const profileOf = new Map(rows.map((r) => [r.id, { profileId: r.profile_id, accountProfileId: null }]));
  await rebuildTraits(client, workspaceId, DEFAULT_IDENTITY_SETTINGS, people.map((p) => p.profile_id), collectTraits(events, (id) => profileOf.get(id) ?? null));
}

export async function generateProfilePopulation(pool: pg.Pool, o: PopulationOptions): Promise<PopulationCounts> {
  const sessions = await Promise.all(Array.from({ length: SESSIONS }, () => pool.connect()));
  const [client] = sessions;
  const { log } = o;
  const ws = o.workspaceId;
  try {
    // Bulk work: big sorts in memory; commits need not wait for the disk (a crash only loses the
    // setup); no synchronised scans, so staging tables are read in the order they were written.
    for (const s of sessions) await s.query(`SET work_mem = '1GB'; SET maintenance_work_mem = '1GB'; SET synchronous_commit = off; SET synchronize_seqscans = off; SET jit = off`);
    await client.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE; CREATE SCHEMA ${SCHEMA}`);
    await client.query(FUNCTIONS);
    await step(log, `${o.profiles.toLocaleString("en")} people`, async () => {
      await client.query(PEOPLE, [o.profiles, o.heavyEvery, new Date()]);
      await client.query(`ALTER TABLE bench_gen.people ADD PRIMARY KEY (n)`);
      await client.query(TRAITS_FUNCTION);
    });
    const { rows: [{ now }] } = await client.query<{ now: Date }>(`SELECT now()`);
    await step(log, "their events, in time order", async () => {
      await client.query(EVENTS, [now, o.sources.web, o.sources.app, o.sources.backend]);
      await client.query(`CREATE INDEX ON bench_gen.events (id); CREATE INDEX ON bench_gen.events (n) WHERE type = 'identify'`);
      await client.query(TEMPLATES);
      await client.query(`ALTER TABLE bench_gen.templates ADD PRIMARY KEY (r, device, type); ANALYZE bench_gen.people, bench_gen.events, bench_gen.templates`);
    });
    await step(log, "per-person summary", async () => {
      await client.query(SUMMARY);
      await client.query(`ALTER TABLE bench_gen.summary ADD PRIMARY KEY (n)`);
    });
    let identities = 0;
    await step(log, "identities", async () => {
      await client.query(IDENTITIES, [o.sources.web, o.sources.app]);
      await client.query(`CREATE INDEX ON bench_gen.identities (id); ANALYZE bench_gen.summary, bench_gen.identities`);
      identities = (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM bench_gen.identities`)).rows[0].n;
      await inRanges(sessions, identities, CHUNK, (s, first, last) => s.query(STORE_IDENTITIES, [ws, first, last]).then(() => {}));
      await client.query(ANCHORS);
      await client.query(`ALTER TABLE bench_gen.anchors ADD PRIMARY KEY (n); ANALYZE bench_gen.anchors`);
    });
    await step(log, "profiles", () => client.query(PROFILES, [ws]));
    const { rows: [{ events }] } = await client.query<{ events: number }>(`SELECT count(*)::int AS events FROM bench_gen.events`);
    await step(log, `${events.toLocaleString("en")} events and their timeline anchors`, () =>
      inRanges(sessions, events, CHUNK, async (s, first, last) => {
        await s.query(STORE_EVENTS, [ws, first, last]);
        await s.query(ANCHOR_EVENTS, [ws, first, last]);
      }),
    );
    await step(log, "trait candidates and surviving traits (the pipeline's collectTraits and rebuildTraits)", () =>
      inRanges(sessions, o.profiles, TRAIT_CHUNK, (s, first, last) => writeTraits(s, ws, first, last)),
    );
    await step(log, "profile activity (the explorer's sort keys)", () => syncProfileActivity(client, ws));
    await step(log, "ingest batches and sequences", async () => {
      await writeIngestBookkeeping(client, ws);
    });
    await client.query(`DROP SCHEMA ${SCHEMA} CASCADE`);
    // As autovacuum would have left a live database: visibility maps set, statistics current.
    await step(log, "VACUUM ANALYZE", () => client.query(`VACUUM ANALYZE events, event_identities, identities, profiles, profile_activity, profile_trait_candidates, ingest_batches`));
    // Flush the generation's dirty pages now rather than during the measurement.
    await step(log, "CHECKPOINT", () => client.query(`CHECKPOINT`));
    const { rows: [c] } = await client.query<PopulationCounts>(
      `SELECT (SELECT count(*)::int FROM profiles WHERE workspace_id = $1) AS profiles, $2::int AS identities, $3::int AS events,
              (SELECT sum(jsonb_array_length(kv.value))::int FROM profile_trait_candidates c CROSS JOIN LATERAL jsonb_each(c.candidates) kv WHERE c.workspace_id = $1) AS "traitCandidates"`,
      [ws, identities, events],
    );
    return c;
  } finally {
    for (const s of sessions) s.release();
  }
}
