// A population for segment benchmarks, generated set-based in SQL: 1,000,000 people with marketing
// traits and ~20 events each (a long tail up to ~1,500), as the pipeline would have stored them.
// Per person: one identify (the sign-in, the person's first event) carrying the traits, then tracks
// over the person's active period within the last 365 days, more of them recently (~45 % are still
// active and have more events; the others stopped at some point, so windows like "in the last 30
// days" separate people). Every event is
// stored like ingestion stores it (events.raw), anchored to the person's user id identity
// (event_identities → identities → profile), and counted in profile_event_days; the traits are
// profiles.traits and the trait candidates the pipeline would have derived from the identify, so a
// later identify changes one trait and keeps the others.
//
// Distributions: events per person 1 + lognormal (mean ~20, max ~1,500); event names skewed (Page
// Viewed 33 %, Product Viewed 25 %, …), Order Completed only for the 60 % who buy, at 2–12 % of
// their events; country over 30 values (DE 28 %, US 12 %, GB 7 %, … NZ 0.3 %); plan free / starter
// / pro / enterprise; lifetime_value (a number, 0 for those who never bought, higher for frequent
// buyers) and loyalty_tier from it; signup_date (ISO date) before the first event; newsletter
// (boolean); email and name.
//
// Everything of a range of people is generated once into a temporary table and every stored row
// (events, anchors, daily counts, profile counters) is derived from it, so they agree. Event ids
// run person by person (not in global time order). The big tables' indexes are dropped during the
// load and rebuilt afterwards (3–4× faster than maintaining them row by row); generation refuses a
// database that already holds events.
import type pg from "pg";
import { step, writeIngestBookkeeping } from "./population-bookkeeping";

export interface SegmentPopulationOptions {
  workspaceId: string;
  sources: { web: string; backend: string };
  profiles: number;
  log: (message: string) => void;
}

export interface SegmentPopulationCounts {
  profiles: number;
  events: number;
  eventDays: number;
  identities: number;
}

const SCHEMA = "bench_seg";
/** People per chunk (~20 events each), run by two sessions at once (one per core). */
const CHUNK = 25_000;
const SESSIONS = 2;
/** Tables loaded without their indexes, which are rebuilt at the end (biggest first). */
const BULK_TABLES = ["events", "event_identities", "profile_event_days", "identities", "profiles", "profile_activity", "profile_trait_candidates"];

/** A European shop's customers: German-speaking countries first (DE/AT/CH ~40 %), then a long tail. */
export const COUNTRIES: [string, number][] = [
  ["DE", 28], ["US", 12], ["GB", 7], ["FR", 6], ["AT", 6], ["CH", 5], ["NL", 4.5], ["IT", 3.5], ["ES", 3.5], ["PL", 3], ["BE", 2.5], ["SE", 2], ["DK", 1.5], ["CZ", 1.5], ["CA", 1.2],
  ["IE", 1], ["NO", 1], ["FI", 1], ["PT", 1], ["AU", 1], ["HU", 0.8], ["TR", 0.8], ["JP", 0.6], ["RO", 0.6], ["BR", 0.5], ["IN", 0.5], ["MX", 0.4], ["SG", 0.4], ["GR", 0.4], ["NZ", 0.3],
];
/** Track events (Order Completed comes on top, per person). */
export const EVENT_NAMES: [string, number][] = [
  ["Page Viewed", 33], ["Product Viewed", 25], ["Products Searched", 9], ["Added to Cart", 8], ["Cart Viewed", 5], ["Checkout Started", 3.5], ["Signed In", 4],
  ["Promotion Clicked", 3], ["Product Added to Wishlist", 2.5], ["Coupon Applied", 1.5], ["Product Reviewed", 1], ["Product Shared", 1.5], ["Newsletter Subscribed", 0.5],
  ["Support Ticket Opened", 0.8], ["App Opened", 2.2],
];
const PLANS: [string, number][] = [["free", 55], ["starter", 25], ["pro", 15], ["enterprise", 5]];

/** `values[1 + width_bucket(random(), thresholds)]` picks a value with these weights. */
function picker(weights: [string, number][]): { values: string; thresholds: string } {
  const total = weights.reduce((s, [, w]) => s + w, 0);
  let acc = 0;
  const thresholds = weights.slice(0, -1).map(([, w]) => (acc += w) / total);
  return { values: `ARRAY[${weights.map(([v]) => `'${v}'`).join(", ")}]`, thresholds: `ARRAY[${thresholds.map((t) => t.toFixed(6)).join(", ")}]::float8[]` };
}
const pick = (weights: [string, number][], r: string) => {
  const p = picker(weights);
  return `(${p.values})[1 + width_bucket(${r}, ${p.thresholds})]`;
};

/**
 * People. Activity: `end_ago` days since the last event (45 % are active: their last event is in
 * the last two days, and they have more events), the first event `start_ago` days ago;
 * `order_share` the share of their tracks that are orders (0 for the 40 % who never buy);
 * lifetime_value grows with the orders they are likely to have placed. $1 people, $2 now.
 */
const PEOPLE = `
CREATE UNLOGGED TABLE ${SCHEMA}.people AS
WITH x AS (
  SELECT n, gen_random_uuid() AS profile_id, random() < 0.45 AS active, random() AS end_r, random() AS span_r,
    CASE WHEN random() < 0.6 THEN 0.02 + 0.1 * random() ^ 2 ELSE 0 END AS order_share,
    ${pick(COUNTRIES, "random()")} AS country,
    ${pick(PLANS, "random()")} AS plan,
    random() < 0.35 AS newsletter,
    random() AS signup_r,
    (ARRAY['Anna', 'Ben', 'Chloe', 'David', 'Elif', 'Felix', 'Grace', 'Hiro', 'Ines', 'Jonas', 'Kemal', 'Lena', 'Marta', 'Noah', 'Olga', 'Pavel', 'Quinn', 'Rafael', 'Sofia', 'Tomas', 'Uma', 'Viktor', 'Wen', 'Ximena', 'Yusuf', 'Zoe'])[1 + n % 26] AS first_name,
    (ARRAY['Schmidt', 'Martin', 'Silva', 'Novak', 'Jensen', 'Rossi', 'Kowalski', 'Dubois', 'Yilmaz', 'Tanaka', 'Garcia', 'Smith', 'Muller', 'Larsen', 'Costa', 'Horvat', 'Nguyen', 'Okafor', 'Petrov'])[1 + (n / 26) % 19] AS last_name
  FROM generate_series(1, $1::int) n),
y AS (
  SELECT x.*,
    1 + least(5000, floor(exp(random_normal(CASE WHEN active THEN 2.9 ELSE 2.0 END, 1.0))))::int AS events,
    CASE WHEN active THEN end_r * 2 ELSE 2 + 362 * end_r ^ 1.3 END AS end_ago
  FROM x),
z AS (
  SELECT y.*, end_ago + (364.9 - end_ago) * span_r ^ 0.8 AS start_ago,
    CASE WHEN order_share > 0 THEN round(exp(random_normal(4.7 + 0.5 * ln(1 + events * order_share), 0.9))::numeric, 2) ELSE 0 END AS lifetime_value
  FROM y)
SELECT n, profile_id, events, end_ago, start_ago, order_share, country, plan, newsletter, lifetime_value,
  CASE WHEN lifetime_value >= 1000 THEN 'platinum' WHEN lifetime_value >= 400 THEN 'gold' WHEN lifetime_value >= 150 THEN 'silver' WHEN lifetime_value > 0 THEN 'bronze' ELSE 'none' END AS loyalty_tier,
  to_char(($2::timestamptz - interval '1 day' * (start_ago + signup_r ^ 2 * 900)) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS signup_date,
  first_name, last_name,
  'usr_' || substr(md5('user:' || n), 1, 16) AS user_id,
  md5('anon:' || n)::uuid::text AS anonymous_id,
  lower(first_name || '.' || last_name || n || '@' || (ARRAY['gmail.com', 'outlook.com', 'example.org', 'gmx.de', 'icloud.com'])[1 + n % 5]) AS email,
  sum(events) OVER (ORDER BY n) - events AS id_offset
FROM z
`;

/** Per (event name, r): the properties an event carries, built once rather than per event. */
const TEMPLATES = `
CREATE UNLOGGED TABLE ${SCHEMA}.templates AS
SELECT e.name AS event, r,
  CASE
    WHEN e.name IN ('Product Viewed', 'Added to Cart', 'Product Added to Wishlist', 'Product Shared', 'Product Reviewed')
      THEN jsonb_build_object('product_id', 'sku-' || r % 300, 'name', 'Trail Runner ' || r % 300, 'price', (r * 37) % 200 + 0.99, 'currency', 'EUR', 'category', (ARRAY['shoes', 'jackets', 'socks', 'bags', 'hats'])[1 + r % 5])
    WHEN e.name = 'Page Viewed' THEN jsonb_build_object('path', (ARRAY['/', '/pricing', '/products/sku-' || r % 300, '/cart', '/blog/choosing-trail-shoes', '/account', '/search'])[1 + r % 7], 'referrer', CASE WHEN r % 3 = 0 THEN 'https://www.google.com/' ELSE '' END)
    WHEN e.name IN ('Cart Viewed', 'Checkout Started') THEN jsonb_build_object('cart_id', substr(md5('cart:' || r), 1, 12), 'value', (r * 53) % 400 + 0.5, 'currency', 'EUR')
    WHEN e.name = 'Order Completed' THEN jsonb_build_object('total', (r * 53) % 400 + 0.5, 'revenue', (r * 53) % 400, 'currency', 'EUR', 'products', jsonb_build_array(jsonb_build_object('product_id', 'sku-' || r % 300, 'quantity', 1 + r % 3)))
    WHEN e.name = 'Products Searched' THEN jsonb_build_object('query', (ARRAY['trail shoes', 'rain jacket', 'wool socks', 'running hat', 'backpack'])[1 + r % 5])
    WHEN e.name = 'Coupon Applied' THEN jsonb_build_object('coupon', 'SAVE' || (5 + r % 4 * 5))
    ELSE jsonb_build_object('position', (ARRAY['banner', 'sidebar', 'footer'])[1 + r % 3]) END AS properties
FROM unnest($1::text[]) e(name), generate_series(0, 999) r
`;

/**
 * A range of people's events ($1…$2; $3 now): the identify (sign-in) first, then the tracks, ids
 * in time order per person. `r` picks the template.
 */
const CHUNK_EVENTS = `
CREATE TEMP TABLE chunk AS
WITH s AS (
  SELECT p.n, p.id_offset, k,
    date_trunc('milliseconds', $3::timestamptz - interval '1 day' * CASE WHEN k = 1 THEN p.start_ago ELSE p.end_ago + (p.start_ago - p.end_ago) * random() ^ 2.5 END) AS ts,
    CASE WHEN k = 1 THEN NULL WHEN random() < p.order_share THEN 'Order Completed' ELSE ${pick(EVENT_NAMES, "random()")} END AS event,
    floor(random() * 1000)::int AS r
  FROM ${SCHEMA}.people p CROSS JOIN LATERAL generate_series(1, p.events) k
  WHERE p.n BETWEEN $1 AND $2)
SELECT s.id_offset + row_number() OVER (PARTITION BY s.n ORDER BY s.ts, s.k) AS id, s.n, s.k, s.ts, s.event, s.r,
  date_trunc('milliseconds', s.ts + (0.05 + random() * 2.95) * interval '1 second') AS received_at,
  md5(s.n || ':' || s.k)::uuid::text AS message_id
FROM s
`;

/** The traits an identify carries (and the profile keeps). */
const TRAITS = `jsonb_build_object('email', p.email, 'first_name', p.first_name, 'last_name', p.last_name, 'name', p.first_name || ' ' || p.last_name,
  'country', p.country, 'plan', p.plan, 'loyalty_tier', p.loyalty_tier, 'lifetime_value', p.lifetime_value, 'signup_date', p.signup_date, 'newsletter', p.newsletter)`;

/** Events as the tracking API stores them ($1 workspace, $2 web source, $3 backend source). */
const STORE_EVENTS = `
INSERT INTO events (workspace_id, id, source_id, batch_id, message_id, type, event, user_id, anonymous_id, timestamp, received_at, raw)
SELECT $1, c.id, CASE WHEN c.event = 'Order Completed' THEN $3::uuid ELSE $2::uuid END, 1 + (c.id - 1) / 100, c.message_id, CASE WHEN c.k = 1 THEN 'identify' ELSE 'track' END, c.event,
  p.user_id, CASE WHEN c.event IS DISTINCT FROM 'Order Completed' THEN p.anonymous_id END, c.ts, c.received_at,
  JSON_OBJECT('type': CASE WHEN c.k = 1 THEN 'identify' ELSE 'track' END, 'messageId': c.message_id, 'userId': p.user_id,
              'anonymousId': CASE WHEN c.event IS DISTINCT FROM 'Order Completed' THEN p.anonymous_id END, 'event': c.event,
              'traits': CASE WHEN c.k = 1 THEN ${TRAITS} END,
              'properties': CASE WHEN c.event = 'Order Completed' THEN t.properties || jsonb_build_object('order_id', 'ord_' || c.id) ELSE t.properties END,
              'context': CASE WHEN c.event = 'Order Completed' THEN '{"library":{"name":"analytics-node","version":"2.2.1"}}'::jsonb
                              ELSE '{"library":{"name":"analytics.js","version":"npm:next-1.72.0"},"locale":"en-US"}'::jsonb END,
              'timestamp': u.ts, 'originalTimestamp': u.ts, 'receivedAt': to_char(c.received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
              ABSENT ON NULL RETURNING jsonb)
FROM chunk c JOIN ${SCHEMA}.people p USING (n) LEFT JOIN ${SCHEMA}.templates t ON t.event = c.event AND t.r = c.r
  CROSS JOIN LATERAL (SELECT to_char(c.ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ts OFFSET 0) u
`;

/** Identities: user id (id 3n-2, every event's anchor), e-mail (3n-1), anonymous id (3n). */
const STORE_IDENTITIES = `
INSERT INTO identities (workspace_id, id, type, value, profile_id, first_seen_at, last_seen_at, first_source_id, last_source_id)
SELECT $1, 3 * p.n - 3 + x.i, x.type, x.value, p.profile_id, s.first_ts, CASE WHEN x.i = 1 THEN s.last_ts ELSE s.first_ts END, $2::uuid, CASE WHEN x.i = 1 THEN s.last_source ELSE $2::uuid END
FROM ${SCHEMA}.people p JOIN chunk_summary s USING (n)
  CROSS JOIN LATERAL (VALUES (1, 'user_id', p.user_id), (2, 'email', p.email), (3, 'anonymous_id', p.anonymous_id)) x(i, type, value)
`;

const ANCHOR_EVENTS = `
INSERT INTO event_identities (workspace_id, identity_id, timestamp, event_id, received_at)
SELECT $1, 3 * c.n - 2, c.ts, c.id, c.received_at FROM chunk c
`;

const EVENT_DAYS = `
INSERT INTO profile_event_days (workspace_id, profile_id, event, day, count)
SELECT $1, p.profile_id, c.event, (c.ts AT TIME ZONE 'UTC')::date, count(*)::int
FROM chunk c JOIN ${SCHEMA}.people p USING (n) WHERE c.event IS NOT NULL GROUP BY 2, 3, 4
`;

/** Per person of the chunk: first and last event, the last one's source and message ($1 web, $2 backend source). */
const CHUNK_SUMMARY = `
CREATE TEMP TABLE chunk_summary AS
SELECT n, min(ts) AS first_ts, max(ts) AS last_ts, (array_agg(message_id ORDER BY ts DESC))[1] AS last_message,
  (array_agg(CASE WHEN event = 'Order Completed' THEN $2::uuid ELSE $1::uuid END ORDER BY ts DESC))[1] AS last_source,
  bool_or(event = 'Order Completed') AS ordered,
  (array_agg(message_id ORDER BY k))[1] AS identify_message
FROM chunk GROUP BY n
`;

const STORE_PROFILES = `
INSERT INTO profiles (workspace_id, id, kind, traits, first_seen_at, last_seen_at, last_source_id, last_message_id, event_count, source_ids, display_name, search_name, search_name_last_first, created_at, updated_at)
SELECT $1, p.profile_id, 'user', ${TRAITS}, s.first_ts, s.last_ts, s.last_source, s.last_message, p.events,
  CASE WHEN s.ordered THEN ARRAY[$2::uuid, $3::uuid] ELSE ARRAY[$2::uuid] END,
  p.first_name || ' ' || p.last_name, lower(p.first_name || ' ' || p.last_name), lower(p.last_name || ' ' || p.first_name),
  s.first_ts + interval '1 second', s.last_ts + interval '1 second'
FROM ${SCHEMA}.people p JOIN chunk_summary s USING (n)
`;

/** The candidates the identify left: one value per trait, with its lineage ($2 web source). */
const STORE_CANDIDATES = `
INSERT INTO profile_trait_candidates (workspace_id, profile_id, candidates)
SELECT $1, p.profile_id,
  (SELECT jsonb_object_agg(kv.key, jsonb_build_array(jsonb_build_object('v', kv.value, 'l', to_char(s.first_ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 's', $2::uuid, 'm', s.identify_message)))
   FROM jsonb_each(${TRAITS}) kv)
FROM ${SCHEMA}.people p JOIN chunk_summary s USING (n)
`;

/** Runs `work` over jobs on the sessions at once, each session taking the next job when free. */
async function parallel<T>(sessions: pg.PoolClient[], jobs: T[], work: (client: pg.PoolClient, job: T) => Promise<void>) {
  let next = 0;
  await Promise.all(sessions.map(async (client) => {
    while (next < jobs.length) await work(client, jobs[next++]);
  }));
}

interface SavedIndex {
  table: string;
  name: string;
  /** CREATE INDEX …, or the constraint definition (PRIMARY KEY (…), UNIQUE (…)). */
  def: string;
  constraint: boolean;
}

async function dropIndexes(client: pg.PoolClient, tables: string[]): Promise<SavedIndex[]> {
  const { rows } = await client.query<SavedIndex>(
    `SELECT c.relname AS table, i.relname AS name, coalesce(pg_get_constraintdef(con.oid), pg_get_indexdef(i.oid)) AS def, con.oid IS NOT NULL AS constraint
     FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
       LEFT JOIN pg_constraint con ON con.conindid = i.oid AND con.conrelid = c.oid AND con.contype IN ('p', 'u')
     WHERE c.relnamespace = 'public'::regnamespace AND c.relname = ANY($1) ORDER BY c.relname, i.relname`,
    [tables],
  );
  for (const r of rows) await client.query(r.constraint ? `ALTER TABLE "${r.table}" DROP CONSTRAINT "${r.name}"` : `DROP INDEX "${r.name}"`);
  return rows;
}

export async function generateSegmentPopulation(pool: pg.Pool, o: SegmentPopulationOptions): Promise<SegmentPopulationCounts> {
  const sessions = await Promise.all(Array.from({ length: SESSIONS }, () => pool.connect()));
  const [client] = sessions;
  const { log } = o;
  const ws = o.workspaceId;
  try {
    const { rows: [{ any }] } = await client.query(`SELECT EXISTS (SELECT 1 FROM events) OR EXISTS (SELECT 1 FROM profiles) AS any`);
    if (any) throw new Error("the database already holds events or profiles: generate into a fresh data directory");
    for (const s of sessions) await s.query(`SET work_mem = '512MB'; SET maintenance_work_mem = '1GB'; SET synchronous_commit = off; SET jit = off; SET temp_buffers = '256MB'`);
    await client.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE; CREATE SCHEMA ${SCHEMA}`);
    const { rows: [{ now }] } = await client.query<{ now: Date }>(`SELECT now()`);
    await step(log, `${o.profiles.toLocaleString("en")} people`, async () => {
      await client.query(PEOPLE, [o.profiles, now]);
      await client.query(`ALTER TABLE ${SCHEMA}.people ADD PRIMARY KEY (n)`);
      await client.query(TEMPLATES, [[...EVENT_NAMES.map(([e]) => e), "Order Completed"]]);
      await client.query(`ALTER TABLE ${SCHEMA}.templates ADD PRIMARY KEY (event, r); ANALYZE ${SCHEMA}.people, ${SCHEMA}.templates`);
    });
    const saved = await dropIndexes(client, BULK_TABLES);
    const chunks: [number, number][] = [];
    for (let first = 1; first <= o.profiles; first += CHUNK) chunks.push([first, Math.min(o.profiles, first + CHUNK - 1)]);
    let done = 0;
    const started = performance.now();
    await step(log, "events, anchors, daily counts, identities, profiles and trait candidates", () =>
      parallel(sessions, chunks, async (s, [first, last]) => {
        await s.query(CHUNK_EVENTS, [first, last, now]);
        await s.query(`ANALYZE chunk`);
        await s.query(CHUNK_SUMMARY, [o.sources.web, o.sources.backend]);
        await s.query(STORE_EVENTS, [ws, o.sources.web, o.sources.backend]);
        await s.query(ANCHOR_EVENTS, [ws]);
        await s.query(EVENT_DAYS, [ws]);
        await s.query(STORE_IDENTITIES, [ws, o.sources.web]);
        await s.query(STORE_PROFILES, [ws, o.sources.web, o.sources.backend]);
        await s.query(STORE_CANDIDATES, [ws, o.sources.web]);
        await s.query(`DROP TABLE chunk, chunk_summary`);
        done += 1;
        if (chunks.length >= 10 && done % Math.ceil(chunks.length / 10) === 0) {
          log(`    ${Math.min(o.profiles, done * CHUNK).toLocaleString("en")} people or so (${((performance.now() - started) / 1000).toFixed(0)} s)`);
        }
      }),
    );
    await step(log, "profile activity (the explorer's sort keys)", () =>
      client.query(`INSERT INTO profile_activity (workspace_id, profile_id, kind, last_seen_at, event_count) SELECT workspace_id, id, kind, last_seen_at, event_count FROM profiles WHERE workspace_id = $1`, [ws]),
    );
    await step(log, "ingest batches and sequences", async () => {
      await writeIngestBookkeeping(client, ws);
    });
    // Biggest first, so the two sessions finish together.
    saved.sort((a, b) => BULK_TABLES.indexOf(a.table) - BULK_TABLES.indexOf(b.table));
    await step(log, `${saved.length} indexes rebuilt`, () =>
      parallel(sessions, saved, (s, r) => s.query(r.constraint ? `ALTER TABLE "${r.table}" ADD CONSTRAINT "${r.name}" ${r.def}` : r.def).then(() => {})),
    );
    await client.query(`DROP SCHEMA ${SCHEMA} CASCADE`);
    // As autovacuum would have left a live database: visibility maps set, statistics current.
    await step(log, "VACUUM ANALYZE", () => parallel(sessions, BULK_TABLES, (s, t) => s.query(`VACUUM ANALYZE ${t}`).then(() => {})));
    await step(log, "CHECKPOINT", () => client.query(`CHECKPOINT`));
    const { rows: [c] } = await client.query<SegmentPopulationCounts>(
      `SELECT (SELECT count(*)::int FROM profiles WHERE workspace_id = $1) AS profiles, (SELECT count(*)::int FROM events WHERE workspace_id = $1) AS events,
              (SELECT count(*)::int FROM profile_event_days WHERE workspace_id = $1) AS "eventDays", (SELECT count(*)::int FROM identities WHERE workspace_id = $1) AS identities`,
      [ws],
    );
    return c;
  } finally {
    for (const s of sessions) s.release();
  }
}
