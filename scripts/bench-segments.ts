// npm run bench:segments — segments on 1,000,000 profiles and ~20,000,000 events: the production
// server (as `npm start` runs it, measured once its start-up cache warm-up is done) on its
// embedded PostgreSQL, holding a generated population
// (scripts/lib/generate-segment-population.ts; untimed setup), and a segment of 3 trait conditions
// and 2 windowed event conditions:
// 1. full evaluation: the segment's creation (everyone enters), then re-evaluations with no change;
// 2. the builder's estimate of the same rule and of variants (an OR group, events only, overlap);
// 3. incremental membership: the tracking API driven at 5,000 events/s while 1 % of the events are
//    crafted to flip one profile in or out of the segment (an identify moving the country into or
//    out of DE/AT/CH, or a first Order Completed for someone who meets the rest); per crafted event,
//    the time from sending its HTTP request to its segment_membership_changes row (cause event,
//    its message id) being visible, polled every 50 ms.
// Prints tables with the numbers, the machine and the date; never asserts timings.
// BENCH_PROFILES (1,000,000), BENCH_RUNS (7), BENCH_SECONDS (60), BENCH_WARMUP_SECONDS (5),
// BENCH_RATE (5,000 events/s), BENCH_FLIP_SHARE (0.01); BENCH_DATA_DIR keeps the database there and
// reuses it on the next run (skipping generation); BENCH_EXPLAIN=1 prints EXPLAIN (ANALYZE,
// BUFFERS) of the full-evaluation query; BENCH_PROFILE=1 samples what the server's database
// connections do during the load; BENCH_BASELINE=1 sends the same load with no segment defined
// (the pipeline's throughput without the segment step); BENCH_SKIP=incremental (or full,estimate) skips parts.
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { findFreePort, startEmbeddedPostgres } from "../lib/db/embedded-postgres";
import { applyMigrations } from "../lib/db/migrate";
import { closePool, getPool } from "../lib/db/pool";
import { pipelineLag } from "../lib/pipeline/pipeline-lag";
import { setRuntimeEnv } from "../lib/env";
import { compileSegment } from "../lib/segments/compile-segment";
import { estimateSegment, type SegmentEstimate } from "../lib/segments/estimate-segment";
import { evaluateSegment } from "../lib/segments/evaluate-segments";
import { createSegment } from "../lib/segments/save-segment";
import type { RuleCondition, RuleGroup, RuleNode } from "../lib/segments/segment-rule";
import { machineLine, peakRssMb, percentile, printTable } from "./lib/bench-report";
import { EVENT_NAMES, generateSegmentPopulation, type SegmentPopulationCounts } from "./lib/generate-segment-population";
import { batchPoster } from "./lib/batch-poster";
import { createBenchSource, embeddedDatabaseUrl, spawnServer, tempDataDir } from "./lib/spawn-server";

const PROFILES = Number(process.env.BENCH_PROFILES ?? 1_000_000);
const RUNS = Math.max(5, Number(process.env.BENCH_RUNS ?? 7));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
const RATE = Number(process.env.BENCH_RATE ?? 5000);
const FLIP_SHARE = Number(process.env.BENCH_FLIP_SHARE ?? 0.01);
const KEEP_DIR = process.env.BENCH_DATA_DIR;
const EXPLAIN = process.env.BENCH_EXPLAIN === "1";
const PROFILE = process.env.BENCH_PROFILE === "1";
const BASELINE = process.env.BENCH_BASELINE === "1";
const SKIP = new Set((process.env.BENCH_SKIP ?? "").split(",").filter(Boolean));
const BATCH = 100;
const TICK_MS = 100;
const POLL_MS = 50;
/** How long the pipeline may take to catch up after the load, and how long a change may take to show after that, before it counts as missing. */
const DRAIN_TIMEOUT_MS = 600_000;
const SETTLE_MS = 5_000;
const TARGETS = { full: 2000, estimate: 1000, incrementalP95: 1000 };
const RUN = randomUUID().slice(0, 8);
const NAME_PREFIX = "Bench segments";
const MARKER = "bench-segments.json";

const log = (m: string) => console.log(m);
const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : "–");
const median = (xs: number[]) => percentile(xs, 50);
const fmt = (n: number) => n.toLocaleString("en");

// The bench segment: 3 trait conditions (the third an OR of two traits) and 2 windowed event conditions.
const COUNTRY: RuleCondition = { kind: "trait", key: "country", type: "string", op: "in", values: ["DE", "AT", "CH"] };
const VALUE: RuleCondition = { kind: "trait", key: "lifetime_value", type: "number", op: "gt", value: 100 };
const TENURE: RuleGroup = {
  kind: "group", op: "or", negate: false,
  children: [{ kind: "trait", key: "signup_date", type: "date", op: "before", value: "2026-06-01" }, { kind: "trait", key: "plan", type: "string", op: "equals", value: "pro" }],
};
const ORDERED: RuleCondition = { kind: "event", event: "Order Completed", count: { op: "at_least", value: 1 }, window: { type: "last_days", days: 90 }, where: [] };
const BROWSED: RuleCondition = { kind: "event", event: "Product Viewed", count: { op: "at_least", value: 3 }, window: { type: "last_days", days: 30 }, where: [] };
const and = (...children: RuleNode[]): RuleGroup => ({ kind: "group", op: "and", negate: false, children });
const or = (...children: RuleNode[]): RuleGroup => ({ kind: "group", op: "or", negate: false, children });
const RULE = and(COUNTRY, VALUE, TENURE, ORDERED, BROWSED);
const RULE_TEXT = "country in (DE, AT, CH) AND lifetime_value > 100 AND (signup_date before 2026-06-01 OR plan = pro) AND Order Completed ≥ 1 in the last 90 days AND Product Viewed ≥ 3 in the last 30 days";
const VARIANTS: { label: string; rule: RuleGroup; overlap?: boolean }[] = [
  { label: "the bench rule", rule: RULE },
  { label: "with an OR group (DACH or gold/platinum)", rule: and(or(COUNTRY, { kind: "trait", key: "loyalty_tier", type: "string", op: "in", values: ["gold", "platinum"] }), VALUE, TENURE, ORDERED, BROWSED) },
  { label: "events only (lapsed buyers)", rule: and({ ...ORDERED, window: { type: "last_days", days: 365 } } as RuleCondition, { ...ORDERED, count: { op: "exactly", value: 0 } } as RuleCondition) },
  { label: "the bench rule + overlap with itself", rule: RULE, overlap: true },
];

const api = { createSegment, evaluateSegment, estimateSegment };

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await run();
  return { value, ms: performance.now() - started };
}

/**
 * Generates the population into the data directory once, on the embedded PostgreSQL alone (so a
 * web build is not needed for it), and notes its counts and time in the marker file.
 */
async function generateOnce(dataDir: string) {
  const markerPath = path.join(dataDir, MARKER);
  if (fs.existsSync(markerPath)) return;
  const postgres = await startEmbeddedPostgres({ stateDir: dataDir, log: (m) => log(`[postgres] ${m}`) });
  await applyMigrations({ connectionString: postgres.url });
  const pool = new pg.Pool({ connectionString: postgres.url, max: 4 });
  // The database stops right after: an idle connection's "terminating connection" must not end the run.
  pool.on("error", (err) => log(`[generate] idle connection: ${err.message}`));
  try {
    const { rows: [existing] } = await pool.query(`SELECT id FROM workspaces WHERE slug = 'bench'`);
    if (existing) throw new Error(`${dataDir} holds a workspace from an unfinished generation: remove the directory`);
    const client = await pool.connect();
    let bench: Awaited<ReturnType<typeof createBenchSource>>;
    let web: string;
    try {
      bench = await createBenchSource(client as unknown as pg.Client);
      web = (await client.query(`INSERT INTO sources (id, workspace_id, name, kind, updated_at) VALUES (gen_random_uuid(), $1, 'Website', 'website', now()) RETURNING id`, [bench.workspaceId])).rows[0].id;
    } finally {
      client.release();
    }
    log(`Generating ${fmt(PROFILES)} profiles with their events, daily event counts, identities and traits (untimed setup)…`);
    const started = performance.now();
    const counts = await generateSegmentPopulation(pool, { workspaceId: bench.workspaceId, sources: { web, backend: bench.sourceId }, profiles: PROFILES, log });
    const seconds = (performance.now() - started) / 1000;
    log(`Generated ${fmt(counts.profiles)} profiles, ${fmt(counts.events)} events, ${fmt(counts.eventDays)} daily event counts, ${fmt(counts.identities)} identities in ${seconds.toFixed(0)} s.`);
    fs.writeFileSync(markerPath, JSON.stringify({ ...counts, generatedSeconds: Math.round(seconds), generatedAt: new Date().toISOString(), machine: machineLine() }, null, 2));
  } finally {
    await pool.end();
    await postgres.stop();
  }
}

/** Bench segments go after a run (and before one, if a run was interrupted), so the pipeline checks only this run's. */
async function removeOldSegments(pool: pg.Pool, ws: string) {
  const { rows } = await pool.query<{ id: string }>(`SELECT id FROM segments WHERE workspace_id = $1 AND name LIKE $2`, [ws, `${NAME_PREFIX}%`]);
  if (rows.length === 0) return;
  const ids = rows.map((r) => r.id);
  for (const table of ["segment_membership_changes", "segment_daily_stats", "segment_memberships", "segments"]) {
    await pool.query(`DELETE FROM ${table} WHERE workspace_id = $1 AND ${table === "segments" ? "id" : "segment_id"} = ANY($2::uuid[])`, [ws, ids]);
  }
  log(`Removed ${rows.length} bench segment(s) with their memberships and changes.`);
}

/**
 * The population's size, without reading the big tables through the cache the server warmed:
 * counting events or daily rows would read their whole index (and, before a vacuum, 5 GB of
 * events) and push the pipeline's pages out. Events from the ingest batches' counts (every stored
 * event, generated or sent, belongs to one); daily rows from the statistics of the ANALYZE before.
 */
async function dataSizes(pool: pg.Pool, ws: string) {
  const { rows: [c] } = await pool.query(
    `SELECT (SELECT count(*)::int FROM profiles WHERE workspace_id = $1 AND merged_into_id IS NULL AND kind = 'user') AS profiles,
            (SELECT sum(event_count)::bigint FROM ingest_batches WHERE workspace_id = $1) AS events,
            (SELECT reltuples::bigint FROM pg_class WHERE oid = 'profile_event_days'::regclass) AS days,
            pg_size_pretty(pg_total_relation_size('events')) AS events_size, pg_size_pretty(pg_total_relation_size('profile_event_days')) AS days_size,
            pg_size_pretty(pg_total_relation_size('profiles')) AS profiles_size, pg_size_pretty(pg_database_size(current_database())) AS db_size`,
    [ws],
  );
  return c as { profiles: number; events: string; days: string; events_size: string; days_size: string; profiles_size: string; db_size: string };
}

/** Members of a rule, by the full-evaluation compiler (for picking the profiles to flip). */
async function membersOf(pool: pg.Pool, ws: string, rule: RuleGroup): Promise<string[]> {
  const { sql, params } = compileSegment(rule, { workspaceId: ws, now: new Date() });
  const { rows } = await pool.query<{ profile_id: string }>(sql, params);
  return rows.map((r) => r.profile_id);
}

function sample<T>(xs: T[], n: number): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a.slice(0, n);
}

async function userIds(pool: pg.Pool, ws: string, profileIds: string[]): Promise<string[]> {
  const { rows } = await pool.query<{ value: string }>(`SELECT min(value) AS value FROM identities WHERE workspace_id = $1 AND profile_id = ANY($2::uuid[]) AND type = 'user_id' GROUP BY profile_id`, [ws, profileIds]);
  return rows.map((r) => r.value);
}

// ---------------------------------------------------------------- incremental

type FlipKind = "enter: identify country → DE" | "enter: first Order Completed" | "exit: identify country → US";
const FLIP_KINDS: FlipKind[] = ["enter: identify country → DE", "enter: first Order Completed", "exit: identify country → US"];
interface Flip {
  kind: FlipKind;
  messageId: string;
  sentAt: number;
  warmup: boolean;
  seenAt?: number;
}

function pickName(r: number): string {
  const total = EVENT_NAMES.reduce((s, [, w]) => s + w, 0);
  let x = r * total;
  for (const [name, w] of EVENT_NAMES) if ((x -= w) < 0) return name;
  return EVENT_NAMES[0][0];
}

/** Background traffic: known people's tracks (75 %), identifies with traits no rule here reads (5 %), new visitors' page tracks (20 %, ~10 per visitor). */
function background(seq: number, known: string[]): Record<string, unknown> {
  const base = { messageId: `${RUN}-bg-${seq}`, timestamp: new Date().toISOString() };
  const r = Math.random();
  if (r < 0.2) return { ...base, type: "track", anonymousId: `${RUN}-visitor-${Math.floor(seq / 50)}`, event: "Page Viewed", properties: { path: "/" } };
  const userId = known[Math.floor(Math.random() * known.length)];
  if (r < 0.25) return { ...base, type: "identify", userId, traits: { last_app_version: `3.${seq % 20}.0` } };
  const event = pickName(Math.random());
  return { ...base, type: "track", userId, event, properties: { product_id: `sku-${seq % 300}`, price: 19.9 } };
}

function flipMessage(kind: FlipKind, userId: string, messageId: string): Record<string, unknown> {
  const base = { messageId, timestamp: new Date().toISOString(), userId };
  if (kind === "enter: first Order Completed") return { ...base, type: "track", event: "Order Completed", properties: { order_id: messageId, total: 129.5, currency: "EUR" } };
  return { ...base, type: "identify", traits: { country: kind === "exit: identify country → US" ? "US" : "DE" } };
}

async function incremental(pool: pg.Pool, ws: string, segmentId: string, port: number, serverPid: number, dataDir: string) {
  const { rows: [key] } = await pool.query(`SELECT k.key FROM source_write_keys k JOIN sources s ON s.workspace_id = k.workspace_id AND s.id = k.source_id WHERE k.workspace_id = $1 AND s.kind = 'server' LIMIT 1`, [ws]);
  const flipsWanted = Math.ceil(RATE * (SECONDS + WARMUP_SECONDS) * FLIP_SHARE / FLIP_KINDS.length) + 50;
  log(`Picking ${fmt(flipsWanted)} profiles per kind of flip (by the full-evaluation compiler)…`);
  const notCountry: RuleCondition = { ...COUNTRY, op: "not_in" } as RuleCondition;
  const neverOrdered: RuleCondition = { ...ORDERED, count: { op: "exactly", value: 0 } } as RuleCondition;
  const { rows: members } = await pool.query<{ profile_id: string }>(`SELECT profile_id FROM segment_memberships WHERE workspace_id = $1 AND segment_id = $2`, [ws, segmentId]);
  const pools: Record<FlipKind, string[]> = {
    "enter: identify country → DE": await userIds(pool, ws, sample(await membersOf(pool, ws, and(notCountry, { kind: "trait", key: "country", type: "string", op: "exists" }, VALUE, TENURE, ORDERED, BROWSED)), flipsWanted)),
    "enter: first Order Completed": await userIds(pool, ws, sample(await membersOf(pool, ws, and(COUNTRY, VALUE, TENURE, neverOrdered, BROWSED)), flipsWanted)),
    "exit: identify country → US": await userIds(pool, ws, sample(members.map((m) => m.profile_id), flipsWanted)),
  };
  for (const k of FLIP_KINDS) log(`  ${k}: ${fmt(pools[k].length)} profiles`);
  const flipping = new Set(FLIP_KINDS.flatMap((k) => pools[k]));
  // Known people for the background traffic: generated user ids (usr_ + md5('user:' + n)), minus the flipped ones.
  const { rows: knownRows } = await pool.query<{ value: string }>(
    `SELECT value FROM identities TABLESAMPLE SYSTEM (5) WHERE workspace_id = $1 AND type = 'user_id' LIMIT 100000`,
    [ws],
  );
  const known = knownRows.map((r) => r.value).filter((v) => !flipping.has(v));

  if (BASELINE) {
    // The same traffic with no segment defined: what the pipeline does without the segment step's work.
    await removeOldSegments(pool, ws);
    log("BENCH_BASELINE=1: the segment is gone; the crafted events change nothing (only the pipeline's throughput and lag mean something).");
  }
  const poster = batchPoster(port, key.key);
  const { post } = poster;
  let sent = 0;
  const inFlight = new Set<Promise<void>>();

  // The poller: every 50 ms, one query reads the changes written since the previous one (by id,
  // on the primary key: the workspace's changes are written under its pipeline lock, so in id order).
  const flips: Flip[] = [];
  const pending = new Map<string, Flip>();
  const { rows: [{ cursor: startCursor }] } = await pool.query(`SELECT coalesce(max(id), 0)::text AS cursor FROM segment_membership_changes WHERE workspace_id = $1`, [ws]);
  let cursor = startCursor as string;
  let polling = true;
  let polls = 0;
  const poller = (async () => {
    while (polling || pending.size > 0) {
      const started = performance.now();
      const { rows } = await pool.query<{ id: string; message_id: string | null; segment_id: string; cause: string }>(
        `SELECT id::text, message_id, segment_id, cause FROM segment_membership_changes WHERE workspace_id = $1 AND id > $2 ORDER BY id`,
        [ws, cursor],
      );
      const now = performance.now();
      polls++;
      for (const r of rows) {
        cursor = r.id;
        const f = r.message_id && r.segment_id === segmentId && r.cause === "event" ? pending.get(r.message_id) : undefined;
        if (f) {
          f.seenAt = now;
          pending.delete(r.message_id!);
        }
      }
      await new Promise((r) => setTimeout(r, Math.max(0, POLL_MS - (performance.now() - started))));
    }
  })();
  // The workspace's newest event id (its primary key leads with the workspace: one index probe).
  const { rows: [{ before }] } = await pool.query(`SELECT coalesce(max(id), 0)::bigint AS before FROM events WHERE workspace_id = $1`, [ws]);
  if (PROFILE) await printCacheResidency(pool);
  // BENCH_PROFILE=1: blocks each table and index had to read from outside PostgreSQL's cache
  // (the operating system's cache or the disk), at the start, after 10 s and at the end of the load.
  const readSnapshots: Map<string, number>[] = [];
  if (PROFILE) readSnapshots.push(await blocksRead(pool));
  const readAfter10s = PROFILE ? setTimeout(() => void blocksRead(pool).then((m) => readSnapshots.push(m)), 10_000) : null;
  const lagSamples: number[] = [];
  // BENCH_PROFILE=1 also reads the WAL written (and how much of it is full-page images) each second.
  const walSamples: { bytes: number; fpi: number; records: number }[] = [];
  const readWal = async () => (await pool.query<{ bytes: number; fpi: number; records: number }>(`SELECT wal_bytes::float8 AS bytes, wal_fpi::float8 AS fpi, wal_records::float8 AS records FROM pg_stat_wal`)).rows[0];
  if (PROFILE) walSamples.push(await readWal());
  const sampler = setInterval(async () => {
    lagSamples.push((await pipelineLag({ pool })).oldestUnprocessedSeconds);
    if (PROFILE) walSamples.push(await readWal());
  }, 1000);
  // BENCH_PROFILE=1: what the server's connections are doing, sampled every 50 ms (the database's
  // share of the pipeline's time by statement; "idle in transaction" is time spent in Node).
  const activity = new Map<string, number>();
  let activitySamples = 0;
  const sampler2 = new pg.Client({ connectionString: embeddedDatabaseUrl(dataDir) });
  if (PROFILE) await sampler2.connect();
  const sampleActivity = () =>
    sampler2.query<{ state: string; q: string; wait: string | null }>(
      `SELECT state, left(regexp_replace(query, '\\s+', ' ', 'g'), 110) AS q, wait_event_type || ':' || wait_event AS wait FROM pg_stat_activity
       WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type IN ('client backend', 'autovacuum worker') AND state <> 'idle'`,
    );
  let sampling = false;
  // The same for the first 10 s of the load alone (start-up), and the machine's CPU each second.
  const startupActivity = new Map<string, number>();
  let startupSamples = 0;
  const profilerStarted = performance.now();
  const profiler = PROFILE
    ? setInterval(async () => {
        if (sampling) return;
        sampling = true;
        const { rows } = await sampleActivity().catch(() => ({ rows: [] as { state: string; q: string; wait: string | null }[] }));
        const early = performance.now() - profilerStarted < 10_000;
        activitySamples++;
        if (early) startupSamples++;
        for (const r of rows) {
          const k = r.state === "active" ? `${r.q}${r.wait ? `  [${r.wait}]` : ""}` : `(${r.state}) after: ${r.q}`;
          activity.set(k, (activity.get(k) ?? 0) + 1);
          if (early) startupActivity.set(k, (startupActivity.get(k) ?? 0) + 1);
        }
        sampling = false;
      }, 50)
    : null;
  const cpuTicks = () => {
    const [user, nice, system, idle, iowait] = fs.readFileSync("/proc/stat", "utf8").split("\n")[0].split(/\s+/).slice(1, 6).map(Number);
    const server = fs.readFileSync(`/proc/${serverPid}/stat`, "utf8").split(") ")[1].split(" ");
    return { busy: user + nice + system, idle: idle + iowait, server: Number(server[11]) + Number(server[12]) };
  };
  const cpuSamples = PROFILE && fs.existsSync("/proc/stat") ? [cpuTicks()] : [];
  const cpuSampler = cpuSamples.length > 0 ? setInterval(() => cpuSamples.push(cpuTicks()), 1000) : null;

  log(`Sending ${fmt(RATE)} events/s (${BATCH} per request) for ${WARMUP_SECONDS} s of warm-up and ${SECONDS} s measured; ${(FLIP_SHARE * 100).toFixed(1)} % of them flip a profile…`);
  const next: Record<FlipKind, number> = Object.fromEntries(FLIP_KINDS.map((k) => [k, 0])) as Record<FlipKind, number>;
  let seq = 0;
  let flipOwed = 0;
  const started = performance.now();
  const perTick = (RATE * TICK_MS) / 1000;
  let owed = 0;
  let exhausted = false;
  for (let tick = 0; performance.now() - started < (WARMUP_SECONDS + SECONDS) * 1000; tick++) {
    owed += perTick;
    while (owed >= BATCH) {
      owed -= BATCH;
      const warmup = performance.now() - started < WARMUP_SECONDS * 1000;
      const batch: Record<string, unknown>[] = [];
      const mine: Flip[] = [];
      for (let i = 0; i < BATCH; i++) {
        flipOwed += FLIP_SHARE;
        if (flipOwed >= 1) {
          flipOwed -= 1;
          const kind = FLIP_KINDS[seq % FLIP_KINDS.length];
          const userId = pools[kind][next[kind]++];
          if (userId !== undefined) {
            const f: Flip = { kind, messageId: `${RUN}-flip-${seq}`, sentAt: 0, warmup };
            batch.push(flipMessage(kind, userId, f.messageId));
            mine.push(f);
            seq++;
            continue;
          }
          exhausted = true;
        }
        batch.push(background(seq++, known));
      }
      const body = JSON.stringify({ batch });
      const sentAt = performance.now();
      for (const f of mine) {
        f.sentAt = sentAt;
        flips.push(f);
        pending.set(f.messageId, f);
      }
      const p = post(body).finally(() => inFlight.delete(p));
      inFlight.add(p);
      sent += BATCH;
    }
    const due = started + (tick + 1) * TICK_MS;
    await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
  }
  await Promise.all(inFlight);
  const sendSeconds = (performance.now() - started) / 1000;
  log("Waiting for the pipeline to catch up and the last changes to show…");
  // Until the pipeline has processed everything (however far behind it is), then a little longer
  // for the last changes to show; what has not shown by then is missing.
  let drainedAt = Infinity;
  const drainStarted = performance.now();
  for (;;) {
    if (drainedAt === Infinity) {
      if ((await pipelineLag({ pool })).unprocessedEvents === 0) drainedAt = (performance.now() - started) / 1000;
    }
    if (drainedAt !== Infinity && (pending.size === 0 || performance.now() - started > drainedAt * 1000 + SETTLE_MS)) break;
    if (performance.now() - drainStarted > DRAIN_TIMEOUT_MS) break;
    await new Promise((res) => setTimeout(res, 100));
  }
  if (drainedAt === Infinity) drainedAt = (performance.now() - started) / 1000;
  polling = false;
  pending.clear();
  await poller;
  clearInterval(sampler);
  if (profiler) clearInterval(profiler);
  if (cpuSampler) clearInterval(cpuSampler);
  poster.close();
  if (PROFILE) {
    while (sampling) await new Promise((r) => setTimeout(r, 10));
    await sampler2.end();
    console.log(`\nServer connections, ${activitySamples} samples of pg_stat_activity every 50 ms during the load (share of samples; a connection can be counted once per sample):`);
    for (const [k, n] of [...activity].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${((n / activitySamples) * 100).toFixed(1).padStart(5)} %  ${k}`);
    console.log(`\nThe same, first 10 s of the load only (${startupSamples} samples):`);
    for (const [k, n] of [...startupActivity].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${((n / startupSamples) * 100).toFixed(1).padStart(5)} %  ${k}`);
    const cpu = cpuSamples.slice(1).map((c, i) => {
      const d = { busy: c.busy - cpuSamples[i].busy, idle: c.idle - cpuSamples[i].idle, server: c.server - cpuSamples[i].server };
      return `${((d.busy / Math.max(1, d.busy + d.idle)) * 100).toFixed(0)}/${((d.server / Math.max(1, d.busy + d.idle)) * 100).toFixed(0)}`;
    });
    console.log(`CPU busy % of the machine / of it the server's Node process, each second from the start of the load: ${cpu.join(" ")}`);
    const every5 = walSamples.filter((_, i) => i % 5 === 0);
    const spans = every5.slice(1).map((w, i) => ({ mb: (w.bytes - every5[i].bytes) / 5 / 1e6, fpi: (w.fpi - every5[i].fpi) / Math.max(1, w.records - every5[i].records) }));
    console.log(`WAL written, MB/s over each 5 s from the start of the load (full-page images per WAL record): ${spans.map((x) => `${x.mb.toFixed(1)} (${(x.fpi * 100).toFixed(0)} %)`).join(", ")}`);
    clearTimeout(readAfter10s!);
    readSnapshots.push(await blocksRead(pool));
    const readBetween = (a: Map<string, number>, b: Map<string, number>) =>
      [...b].map(([name, n]) => [name, n - (a.get(name) ?? 0)] as const).filter(([, n]) => n > 0).sort((x, y) => y[1] - x[1]).slice(0, 8).map(([name, n]) => `${name} ${fmt(n)}`).join(", ");
    if (readSnapshots.length === 3) console.log(`Blocks read from outside PostgreSQL's cache in the first 10 s of the load: ${readBetween(readSnapshots[0], readSnapshots[1]) || "none"}`);
    console.log(`The same over the whole load: ${readBetween(readSnapshots[0], readSnapshots.at(-1)!) || "none"}`);
  }

  const { rows: [counts] } = await pool.query(
    `SELECT (SELECT count(*)::int FROM events WHERE workspace_id = $1 AND id > $2) AS stored,
            (SELECT count(*)::int FROM segment_membership_changes WHERE workspace_id = $1 AND segment_id = $3 AND cause = 'event' AND message_id LIKE $4) AS changes`,
    [ws, before, segmentId, `${RUN}-%`],
  );
  const rows: string[][] = [];
  const measured = flips.filter((f) => !f.warmup);
  const row = (label: string, list: Flip[]) => {
    const seen = list.filter((f) => f.seenAt !== undefined).map((f) => f.seenAt! - f.sentAt);
    rows.push([label, String(list.length), String(seen.length), String(list.length - seen.length), ...[50, 95, 99].map((p) => ms(percentile(seen, p))), ms(Math.max(...seen))]);
    return seen;
  };
  for (const k of FLIP_KINDS) row(k, measured.filter((f) => f.kind === k));
  const all = row("all crafted events", measured);
  if (PROFILE) {
    // p95 of the crafted events sent in each 10 s of the load (warm-up included): start-up transients vs steady state.
    const spans: string[] = [];
    for (let from = 0; from < WARMUP_SECONDS + SECONDS; from += 10) {
      const inSpan = flips.filter((f) => f.seenAt !== undefined && f.sentAt - started >= from * 1000 && f.sentAt - started < (from + 10) * 1000).map((f) => f.seenAt! - f.sentAt);
      spans.push(`${from}–${from + 10} s: ${ms(percentile(inSpan, 95))}`);
    }
    console.log(`p95 ms of the crafted events by when they were sent: ${spans.join(", ")}`);
  }
  return {
    rows,
    p95: percentile(all, 95),
    missing: measured.filter((f) => f.seenAt === undefined).length,
    summary:
      `Offered ${fmt(RATE)} events/s for ${SECONDS} s after ${WARMUP_SECONDS} s of warm-up: sent ${fmt(sent)} (${(sent / sendSeconds).toFixed(0)}/s), HTTP errors ${poster.stats.errors} requests, ` +
      `stored ${fmt(counts.stored)} events, resolved ${(counts.stored / drainedAt).toFixed(0)} events/s (stored ÷ seconds until the pipeline caught up, ${drainedAt.toFixed(0)} s), pipeline max lag ${Math.max(0, ...lagSamples).toFixed(1)} s ` +
      `(every ${PROFILE ? "second" : "5 s"} from the start of the load: ${lagSamples.filter((_, i) => PROFILE || i % 5 === 0).map((l) => l.toFixed(1)).join(", ")}); ` +
      `${fmt(counts.changes)} membership changes caused by this run's events (crafted and background); ${polls} polls; server peak RSS ${peakRssMb(serverPid)} MB` +
      `${exhausted ? "; a pool of profiles to flip ran out, some crafted slots were sent as background" : ""}.`,
  };
}

// ---------------------------------------------------------------- main

async function main() {
  const dataDir = KEEP_DIR ? path.resolve(KEEP_DIR) : tempDataDir("tessera-bench-segments-");
  fs.mkdirSync(dataDir, { recursive: true });
  fs.chmodSync(dataDir, 0o755);
  await generateOnce(dataDir);
  const marker = JSON.parse(fs.readFileSync(path.join(dataDir, MARKER), "utf8")) as SegmentPopulationCounts & { generatedSeconds: number };
  if (marker.profiles !== PROFILES) throw new Error(`${dataDir} was generated with ${marker.profiles} profiles, not ${PROFILES}: use another BENCH_DATA_DIR`);
  const port = await findFreePort();
  log(`Building if needed and starting the production server on port ${port}…`);
  const server = await spawnServer({ dataDir, port, env: { TRACKING_RATE_LIMIT: "10000000" } });
  setRuntimeEnv({ DATABASE_URL: embeddedDatabaseUrl(dataDir) });
  const pool = getPool();
  try {
    const { rows: [{ id: ws }] } = await pool.query<{ id: string }>(`SELECT id FROM workspaces WHERE slug = 'bench'`);
    log(`Population in ${dataDir}, generated in ${marker.generatedSeconds} s.`);
    for (let waited = 0; ; waited++) {
      const { unprocessedEvents } = await pipelineLag({ pool });
      if (unprocessedEvents === 0) break;
      if (waited % 20 === 0) log(`Waiting for the pipeline to process ${fmt(unprocessedEvents)} events left by an earlier run…`);
      await new Promise((res) => setTimeout(res, 500));
    }
    await removeOldSegments(pool, ws);
    // Untimed: what autovacuum does in steady state (profile_event_days is vacuumed after 1 % of its
    // rows change, see its migration). Right after generation, or after an earlier run's load, the
    // recent days' index entries would otherwise each need a read of the table.
    const vacuumed = await timed(() => pool.query(`VACUUM (ANALYZE) profile_event_days, profiles`));
    log(`Vacuumed profile_event_days and profiles, as autovacuum would, in ${ms(vacuumed.ms)} ms (untimed).`);
    const sizes = await dataSizes(pool, ws);
    log(`Data: ${fmt(sizes.profiles)} live person profiles (${sizes.profiles_size}), ${fmt(Number(sizes.events))} events (${sizes.events_size}), ≈ ${fmt(Number(sizes.days))} profile_event_days rows (${sizes.days_size}); database ${sizes.db_size}.`);

    const results: string[][] = [];
    let segmentId: string | null = null;
    let members = 0;

    if (!SKIP.has("full")) {
      log("Full evaluation: creating the segment (everyone enters), then re-evaluating with no change…");
      const created = await timed(() => api.createSegment({ workspaceId: ws, userId: null, name: `${NAME_PREFIX} ${RUN}: DACH buyers`, description: RULE_TEXT, rule: RULE }));
      segmentId = created.value.id;
      const { rows: [seg] } = await pool.query(`SELECT member_count, last_error FROM segments WHERE workspace_id = $1 AND id = $2`, [ws, segmentId]);
      if (seg.last_error) throw new Error(`the segment's evaluation failed: ${seg.last_error}`);
      members = seg.member_count;
      results.push(["full evaluation, first (createSegment: all enter)", "1", fmt(members), ms(created.ms), ms(created.ms), `≤ ${fmt(TARGETS.full)}`]);
      const times: number[] = [];
      const took: number[] = [];
      let changed = 0;
      for (let i = 0; i < RUNS; i++) {
        const r = await timed(() => api.evaluateSegment({ workspaceId: ws, segmentId: segmentId! }));
        times.push(r.ms);
        took.push(r.value.tookMs);
        changed += r.value.entered + r.value.exited;
        members = r.value.members;
      }
      results.push([`full evaluation, no change (evaluateSegment)${changed ? `, ${changed} changes` : ""}`, String(RUNS), fmt(members), ms(median(times)), ms(Math.max(...times)), `≤ ${fmt(TARGETS.full)}`]);
      log(`  evaluateSegment's own tookMs: median ${ms(median(took))}, max ${ms(Math.max(...took))}`);
    }

    if (!SKIP.has("estimate")) {
      log("Estimates…");
      for (const v of VARIANTS) {
        if (v.overlap && !segmentId) continue;
        const times: number[] = [];
        let last: SegmentEstimate | null = null;
        for (let i = 0; i < RUNS; i++) {
          const r = await timed(() => api.estimateSegment({ workspaceId: ws, rule: v.rule, ...(v.overlap ? { overlapSegmentId: segmentId! } : {}) }));
          times.push(r.ms);
          last = r.value;
        }
        const both = last?.overlap?.both;
        const overlap = v.overlap && both !== undefined ? ` (both ${fmt(both)})` : "";
        const approx = last!.approximate ? `≈ ${fmt(last!.count)} ± ${fmt(last!.approximate.margin)} (sample ${fmt(last!.approximate.sampled)})` : fmt(last!.count);
        results.push([`estimate: ${v.label}`, String(RUNS), `${approx}${overlap}`, ms(median(times)), ms(Math.max(...times)), `≤ ${fmt(TARGETS.estimate)}`]);
      }
    }

    let explain: string | null = null;
    if (EXPLAIN) {
      // With the evaluator's settings (evaluate-segments.ts: work_mem 64MB), then without parallel workers for comparison.
      const { sql, params } = compileSegment(RULE, { workspaceId: ws, now: new Date() });
      const plan = async (settings: string) => {
        const client = await pool.connect();
        try {
          await client.query(`BEGIN; ${settings}`);
          const { rows } = await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
          return rows.map((r) => r["QUERY PLAN"]).join("\n");
        } finally {
          await client.query("ROLLBACK");
          client.release();
        }
      };
      explain = `${sql}\n\nwork_mem 64MB (as evaluateSegment runs it):\n${await plan("SET LOCAL work_mem = '64MB'")}\n\nwork_mem 64MB, max_parallel_workers_per_gather 0:\n${await plan("SET LOCAL work_mem = '64MB'; SET LOCAL max_parallel_workers_per_gather = 0")}`;
    }

    let inc: Awaited<ReturnType<typeof incremental>> | null = null;
    let consistency = "";
    if (!SKIP.has("incremental") && segmentId) {
      inc = await incremental(pool, ws, segmentId, port, server.pid!, dataDir);
      // The incremental changes must leave the memberships a full evaluation would give.
      const check = BASELINE ? null : await api.evaluateSegment({ workspaceId: ws, segmentId });
      if (check) consistency = `Full evaluation after the load: ${fmt(check.members)} members, ${check.entered} entered and ${check.exited} exited (0 and 0: the incremental check left exactly the full evaluation's members), ${ms(check.tookMs)} ms.`;
    }

    console.log(`\n${machineLine()}\n`);
    console.log(`${fmt(sizes.profiles)} profiles, ${fmt(Number(sizes.events))} events, ≈ ${fmt(Number(sizes.days))} profile_event_days rows (database ${sizes.db_size}); generated once in ${marker.generatedSeconds} s (untimed setup).`);
    console.log(`Segment: ${RULE_TEXT}.\n`);
    printTable(["measurement", "runs", "members / count", "median ms", "max ms", "target ms"], results);
    if (inc) {
      console.log("\nIncremental membership: HTTP send of the crafted event → its segment_membership_changes row visible (polled every 50 ms):\n");
      printTable(["crafted event", "sent", "seen", "missing", "p50 ms", "p95 ms", "p99 ms", "max ms"], inc.rows);
      console.log(`\n${inc.summary}`);
      console.log(consistency);
    }
    console.log(`\nTargets: full evaluation ≤ ${fmt(TARGETS.full)} ms, estimate ≤ ${fmt(TARGETS.estimate)} ms, incremental membership visible p95 ≤ ${fmt(TARGETS.incrementalP95)} ms under ${fmt(5000)} events/s (1,000,000 profiles, 20,000,000 events).`);
    if (explain) console.log(`\nEXPLAIN (ANALYZE, BUFFERS) of the full-evaluation query:\n${explain}`);
    // Leave no segment behind: the next server start would sweep it (a full evaluation) while the next run measures.
    await removeOldSegments(pool, ws);
  } finally {
    await closePool();
    server.kill("SIGINT");
    await new Promise((r) => server.once("exit", r));
    if (!KEEP_DIR) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();

/** BENCH_PROFILE=1: how much of the largest tables and indexes is in PostgreSQL's cache as the load starts (pg_buffercache). */
async function printCacheResidency(pool: pg.Pool) {
  await pool.query(`CREATE EXTENSION IF NOT EXISTS pg_buffercache`);
  const { rows } = await pool.query<{ name: string; size: string; cached: string }>(
    `SELECT c.relname AS name, (pg_relation_size(c.oid) / 1048576)::text AS size, (count(b.bufferid) * 8 / 1024)::text AS cached
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
     LEFT JOIN pg_buffercache b ON b.relfilenode = pg_relation_filenode(c.oid) AND b.reldatabase = (SELECT oid FROM pg_database WHERE datname = current_database())
     WHERE pg_relation_size(c.oid) > 32 * 1048576 GROUP BY c.oid, c.relname ORDER BY pg_relation_size(c.oid) DESC`,
  );
  console.log(`\nIn PostgreSQL's cache as the load starts (MB cached / MB): ${rows.map((r) => `${r.name} ${r.cached}/${r.size}`).join(", ")}`);
}

/** BENCH_PROFILE=1: blocks read so far from outside PostgreSQL's cache, per table (heap) and index. */
async function blocksRead(pool: pg.Pool): Promise<Map<string, number>> {
  const { rows } = await pool.query<{ name: string; n: string }>(
    `SELECT relname AS name, heap_blks_read::text AS n FROM pg_statio_user_tables
     UNION ALL SELECT indexrelname, idx_blks_read::text FROM pg_statio_user_indexes`,
  );
  return new Map(rows.map((r) => [r.name, Number(r.n)]));
}
