// npm run bench:profile-api — Profile API latency with 1,000,000 profiles: the production server
// (as `npm start` runs it) on its embedded PostgreSQL, holding a generated population of resolved
// people (scripts/lib/generate-profile-population.ts; untimed setup), is driven open-loop at a
// constant 200 requests/s: half /traits, half /events of uniformly random profiles, looked up by
// user id, e-mail, anonymous id, phone or profile id, plus a few /events of the heavy profiles
// (thousands of events), shown on their own row. Latency runs from each request's scheduled send
// time. Every answer is checked (status, and the traits or newest events the profile really has);
// any failed request makes the script exit non-zero.
// BENCH_SECONDS (default 60), BENCH_WARMUP_SECONDS (10), BENCH_RATE (200 requests/s) and
// BENCH_PROFILES (1,000,000) change the run; BENCH_DATA_DIR keeps the database there and reuses it
// on the next run (skipping generation), for profiling.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { findFreePort } from "../lib/db/embedded-postgres";
import { closePool, getPool } from "../lib/db/pool";
import { setRuntimeEnv } from "../lib/env";
import { createApiToken } from "../lib/profile-api/api-tokens";
import { machineLine, percentile, printTable } from "./lib/bench-report";
import { generateProfilePopulation } from "./lib/generate-profile-population";
import { runOpenLoop, type LoadSample } from "./lib/open-loop-load";
import { createBenchSource, embeddedDatabaseUrl, spawnServer } from "./lib/spawn-server";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 10);
const RATE = Number(process.env.BENCH_RATE ?? 200);
const PROFILES = Number(process.env.BENCH_PROFILES ?? 1_000_000);
const KEEP_DIR = process.env.BENCH_DATA_DIR;
/** One person in HEAVY_EVERY has thousands of events (0.05 %). */
const HEAVY_EVERY = 2000;
/** Share of the requests that read a heavy profile's events, so their latency has enough samples. */
const HEAVY_SHARE = 0.05;
const PAGE = 10; // the API's default limit
const TARGETS = { traits: 50, events: 100 };
/** Share of the /traits requests that ask for lineage (verbose=true). */
const VERBOSE_SHARE = 0.25;
const ROWS = { traits: "/traits", events: "/events", heavy: "/events, heavy profiles" } as const;
/** How a support tool would address a person: mostly by its own user id or the e-mail it has. */
const ID_TYPES: [IdType, number][] = [["user_id", 30], ["email", 30], ["anonymous_id", 20], ["phone", 10], ["profile_id", 10]];

type IdType = "user_id" | "email" | "anonymous_id" | "phone" | "profile_id";
interface Person {
  profile_id: string;
  user_id: string;
  anonymous_id: string;
  /** As the traits have them (mixed case, formatted): the API normalises like ingestion. */
  email: string;
  phone: string | null;
  events: number;
  traitCount: number;
  newest: Date;
}
interface Meta {
  row: keyof typeof ROWS;
  person: Person;
  /** /traits?verbose=true: each trait with its lineage, read from the trait candidates. */
  verbose?: boolean;
}

const log = (m: string) => console.log(m);

async function setUpWorkspace(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { workspaceId, sourceId } = await createBenchSource(client);
    const add = async (name: string, kind: string) =>
      (await client.query(`INSERT INTO sources (id, workspace_id, name, kind, updated_at) VALUES (gen_random_uuid(), $1, $2, $3, now()) RETURNING id`, [workspaceId, name, kind])).rows[0].id as string;
    const sources = { web: await add("Website", "website"), app: await add("iOS app", "mobile"), backend: sourceId };
    log(`Generating ${PROFILES.toLocaleString("en")} profiles with their identities, events and traits (untimed setup)…`);
    const started = performance.now();
    const c = await generateProfilePopulation(getPool(), { workspaceId, sources, profiles: PROFILES, heavyEvery: HEAVY_EVERY, log });
    log(`Generated ${c.profiles.toLocaleString("en")} profiles, ${c.identities.toLocaleString("en")} identities, ${c.events.toLocaleString("en")} events, ${c.traitCandidates.toLocaleString("en")} trait candidates in ${((performance.now() - started) / 1000).toFixed(0)} s.`);
    return workspaceId;
  } finally {
    await client.end();
  }
}

/** Uniformly random profiles (without replacement), or the heavy ones, with what the checks expect. */
async function people(pool: pg.Pool, ws: string, which: "random" | "heavy", count: number): Promise<Person[]> {
  const { rows } = await pool.query<Person>(
    `SELECT p.id AS profile_id, p.event_count AS events, p.last_seen_at AS newest, p.traits->>'email' AS email, p.traits->>'phone' AS phone,
            (SELECT count(*)::int FROM jsonb_object_keys(p.traits)) AS "traitCount",
            (SELECT value FROM identities i WHERE i.workspace_id = p.workspace_id AND i.profile_id = p.id AND i.type = 'user_id') AS user_id,
            (SELECT value FROM identities i WHERE i.workspace_id = p.workspace_id AND i.profile_id = p.id AND i.type = 'anonymous_id' ORDER BY random() LIMIT 1) AS anonymous_id
     FROM (SELECT * FROM profiles WHERE workspace_id = $1 AND kind = 'user' AND merged_into_id IS NULL AND ($2 = 'random' OR event_count >= 1000)
           ORDER BY random() LIMIT $3) p`,
    [ws, which, count],
  );
  return rows;
}

function weighted<T>(choices: [T, number][]): T {
  let r = Math.random() * choices.reduce((s, [, w]) => s + w, 0);
  for (const [v, w] of choices) if ((r -= w) < 0) return v;
  return choices[0][0];
}

function identifier(p: Person, wanted: IdType): string {
  const type = wanted === "phone" && !p.phone ? "email" : wanted; // most people gave no phone
  return `${type}:${encodeURIComponent(type === "phone" ? p.phone! : p[type])}`;
}

/** What a right answer holds: the profile's traits, or its newest events, newest first. */
function check(meta: Meta, body: string): string | null {
  const json = JSON.parse(body) as { traits?: Record<string, unknown>; data?: { timestamp: string }[] };
  const p = meta.person;
  if (meta.row === "traits") {
    const traits = json.traits ?? {};
    const email = meta.verbose ? (traits.email as { value?: unknown; source_id?: unknown } | undefined) : { value: traits.email, source_id: "-" };
    return Object.keys(traits).length === Math.min(PAGE, p.traitCount) && email?.value === p.email && email.source_id ? null : "wrong traits";
  }
  const data = json.data ?? [];
  if (data.length !== Math.min(PAGE, p.events)) return "wrong number of events";
  if (data[0].timestamp !== p.newest.toISOString()) return "not the newest event first";
  return data.every((e, i) => i === 0 || data[i - 1].timestamp >= e.timestamp) ? null : "events out of order";
}

function report(samples: LoadSample<Meta>[]) {
  const measured = samples.filter((s) => !s.warmup);
  const rows = (Object.keys(ROWS) as (keyof typeof ROWS)[]).map((row) => {
    const mine = measured.filter((s) => s.meta.row === row);
    const ms = mine.map((s) => s.latencyMs);
    const target = row === "traits" ? TARGETS.traits : TARGETS.events;
    const p99 = percentile(ms, 99);
    return [ROWS[row], String(mine.length), String(mine.filter((s) => s.error).length), ...[50, 95, 99].map((p) => percentile(ms, p).toFixed(1)), ms.reduce((a, b) => Math.max(a, b), 0).toFixed(1), `p99 ≤ ${target}`, p99 <= target ? "met" : "MISSED"];
  });
  printTable(["route", "requests", "errors", "p50 ms", "p95 ms", "p99 ms", "max ms", "target ms", "result"], rows);
  const errors = new Map<string, number>();
  for (const s of samples.filter((x) => x.error)) {
    const key = `${ROWS[s.meta.row]}: ${s.error}${s.warmup ? " (warm-up)" : ""}`;
    errors.set(key, (errors.get(key) ?? 0) + 1);
  }
  for (const [what, n] of errors) console.log(`  failed: ${n} × ${what}`);
  return errors.size;
}

async function main() {
  const dataDir = KEEP_DIR ? path.resolve(KEEP_DIR) : fs.mkdtempSync(path.join(os.tmpdir(), "tessera-bench-profile-api-"));
  fs.mkdirSync(dataDir, { recursive: true });
  fs.chmodSync(dataDir, 0o755);
  const port = await findFreePort();
  console.log(`Building if needed and starting the production server on port ${port}…`);
  const server = await spawnServer({ dataDir, port });
  const url = embeddedDatabaseUrl(dataDir);
  setRuntimeEnv({ DATABASE_URL: url });
  const pool = getPool();
  try {
    const { rows: [existing] } = await pool.query<{ id: string; profiles: number }>(
      `SELECT w.id, (SELECT count(*)::int FROM profiles p WHERE p.workspace_id = w.id) AS profiles FROM workspaces w WHERE w.slug = 'bench'`,
    );
    if (existing && existing.profiles !== PROFILES) throw new Error(`${dataDir} holds ${existing.profiles} profiles, not ${PROFILES}: use another BENCH_DATA_DIR`);
    if (existing) log(`Reusing the ${PROFILES.toLocaleString("en")} profiles in ${dataDir}.`);
    const ws = existing?.id ?? (await setUpWorkspace(url));
    const { rows: [pop] } = await pool.query(
      `SELECT count(*)::int AS profiles, sum(event_count)::bigint AS events, count(*) FILTER (WHERE event_count >= 1000)::int AS heavy,
              percentile_disc(0.5) WITHIN GROUP (ORDER BY event_count) AS median FROM profiles WHERE workspace_id = $1`,
      [ws],
    );
    const { token } = await createApiToken({ workspaceId: ws, name: "Profile API bench" });

    const total = Math.round(RATE * (WARMUP_SECONDS + SECONDS));
    const random = await people(pool, ws, "random", total);
    const heavy = await people(pool, ws, "heavy", 1000);
    const base = `/v1/spaces/${ws}/collections/users/profiles`;
    const request = (i: number) => {
      if (Math.random() < HEAVY_SHARE) {
        const person = heavy[Math.floor(Math.random() * heavy.length)];
        return { path: `${base}/${identifier(person, weighted(ID_TYPES))}/events`, meta: { row: "heavy" as const, person } };
      }
      const person = random[i % random.length];
      const row = Math.random() < 0.5 ? ("traits" as const) : ("events" as const);
      const verbose = row === "traits" && Math.random() < VERBOSE_SHARE;
      return { path: `${base}/${identifier(person, weighted(ID_TYPES))}/${row}${verbose ? "?verbose=true" : ""}`, meta: { row, person, verbose } };
    };

    console.log(`Driving ${RATE} requests/s open-loop for ${WARMUP_SECONDS} s of warm-up and ${SECONDS} s measured…`);
    const { samples, sentPerSecond } = await runOpenLoop<Meta>({
      port,
      headers: { Authorization: `Basic ${Buffer.from(`${token}:`).toString("base64")}` },
      rate: RATE,
      warmupSeconds: WARMUP_SECONDS,
      seconds: SECONDS,
      request,
      check,
    });

    console.log(`\n${machineLine()}\n`);
    const failures = report(samples);
    console.log(
      `\n${pop.profiles.toLocaleString("en")} profiles, ${Number(pop.events).toLocaleString("en")} events (median ${pop.median} per profile; ${pop.heavy} heavy profiles with 1,000–4,000). ` +
        `Offered ${RATE} requests/s (sent ${sentPerSecond.toFixed(0)}/s) for ${SECONDS} s after ${WARMUP_SECONDS} s of warm-up; latency from the scheduled send time. ` +
        `${(HEAVY_SHARE * 100).toFixed(0)} % of the requests are /events of heavy profiles; the rest are /traits (${VERBOSE_SHARE * 100} % verbose) and /events of uniformly random profiles by ${ID_TYPES.map(([t, w]) => `${t} ${w} %`).join(", ")}.`,
    );
    console.log(`Targets: /traits p99 ≤ ${TARGETS.traits} ms, /events p99 ≤ ${TARGETS.events} ms at 200 requests/s with 1,000,000 profiles.`);
    if (failures > 0) process.exitCode = 1;
  } finally {
    await closePool();
    server.kill("SIGINT");
    await new Promise((r) => server.once("exit", r));
    if (!KEEP_DIR) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
