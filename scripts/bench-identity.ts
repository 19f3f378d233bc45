// npm run bench:identity — bulk identity resolution: 1,000,000 CRM-style records (a CRM id, an
// email, a phone, name traits), ~30 % of them belonging to people already known from the web, are
// resolved by the pipeline (the same code `npm start` runs) on a durable embedded PostgreSQL.
// The records are stored first, through the tracking API's own path; the timed part is resolution.
// BENCH_RECORDS (default 1,000,000) and BENCH_WEB_PEOPLE (default 300,000) change the sizes.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "../lib/db/embedded-postgres";
import { applyMigrations } from "../lib/db/migrate";
import { closePool, getPool } from "../lib/db/pool";
import { setRuntimeEnv } from "../lib/env";
import { EventWriter } from "../lib/ingest/event-writer";
import { prepareMessage, type PreparedMessage } from "../lib/ingest/parse-tracking-request";
import { drainPipeline } from "../lib/pipeline/process-pipeline-batch";
import { tempDataDir } from "./lib/spawn-server";
import { machineLine, printTable } from "./lib/bench-report";
import { profileQueries } from "./lib/query-profile";

const RECORDS = Number(process.env.BENCH_RECORDS ?? 1_000_000);
const WEB_PEOPLE = Number(process.env.BENCH_WEB_PEOPLE ?? 300_000);
const OVERLAP = 0.3;

const at = new Date(Date.UTC(2026, 9, 1));
const phone = (n: number) => `+1 201 ${String(2_000_000 + (n % 7_999_999)).replace(/^(\d{3})(\d{4})$/, "$1 $2")}`;

function webMessage(i: number) {
  return { type: "identify", messageId: `web-${i}`, anonymousId: `anon-${i}`, userId: `u-${i}`, traits: { email: `person${i}@example.com`, plan: i % 3 ? "free" : "pro" }, timestamp: at.toISOString() };
}
function crmMessage(n: number) {
  // 30 % of the records are people known from the web (same email, written differently).
  const known = n % 10 < OVERLAP * 10 ? (n * 7919) % WEB_PEOPLE : -1;
  const email = known >= 0 ? ` Person${known}@Example.com ` : `crm${n}@example.org`;
  return {
    type: "identify",
    messageId: `crm-${n}`,
    anonymousId: `crm-${n}`,
    traits: { email, phone: phone(n + 17), first_name: `First${n % 5000}`, last_name: `Last${n % 7000}`, city: ["Berlin", "Lyon", "Porto", "Graz"][n % 4] },
    context: { externalIds: [{ id: `C${n}`, type: "crm_id", collection: "users", encoding: "none" }] },
    timestamp: new Date(at.getTime() + 86_400_000 + n).toISOString(),
  };
}

async function store(writer: EventWriter, workspaceId: string, sourceId: string, count: number, make: (i: number) => Record<string, unknown>) {
  const receivedAt = new Date();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < count; i += 1000) {
    const messages: PreparedMessage[] = [];
    for (let k = i; k < Math.min(count, i + 1000); k++) {
      const r = prepareMessage(make(k), null, { receivedAt });
      if (!r.ok) throw new Error(`${r.problem.field} ${r.problem.message}`);
      messages.push(r.message);
    }
    inFlight.push(writer.append({ workspaceId, sourceId, messages }));
    if (inFlight.length >= 4) await inFlight.shift();
  }
  await Promise.all(inFlight);
}

const stateDir = tempDataDir("tessera-bench-identity-");
const postgres = await startEmbeddedPostgres({ stateDir });
try {
  setRuntimeEnv({ DATABASE_URL: postgres.url });
  await applyMigrations({ connectionString: postgres.url });
  let pool = getPool();
  const { rows: [ws] } = await pool.query(`INSERT INTO workspaces (id, slug, name, updated_at) VALUES (gen_random_uuid(), 'bench', 'Bench', now()) RETURNING id`);
  const source = async (name: string) => (await pool.query(`INSERT INTO sources (id, workspace_id, name, kind, updated_at) VALUES (gen_random_uuid(), $1, $2, 'server', now()) RETURNING id`, [ws.id, name])).rows[0].id as string;
  const web = await source("Web");
  const crm = await source("CRM");
  const writer = new EventWriter(pool);

  console.log(`Storing and resolving ${WEB_PEOPLE.toLocaleString("en")} web people (not timed)…`);
  await store(writer, ws.id, web, WEB_PEOPLE, webMessage);
  await drainPipeline({ maxEvents: 10_000 });
  console.log(`Storing ${RECORDS.toLocaleString("en")} CRM records (not timed)…`);
  await store(writer, ws.id, crm, RECORDS, crmMessage);

  if (process.env.BENCH_EXPLAIN) {
    // BENCH_EXPLAIN=<ms>: PostgreSQL logs the plan of every statement slower than that (auto_explain).
    await pool.query(`ALTER SYSTEM SET session_preload_libraries = 'auto_explain'`);
    await pool.query(`ALTER SYSTEM SET auto_explain.log_min_duration = '${Number(process.env.BENCH_EXPLAIN)}ms'`);
    await pool.query(`ALTER SYSTEM SET auto_explain.log_analyze = on`);
    await pool.query(`SELECT pg_reload_conf()`);
    await closePool(); // new sessions load it
  }
  console.log("Resolving them…");
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 200);
  const profiler = process.env.BENCH_PROFILE === "1" ? profileQueries() : null;
  const started = performance.now();
  pool = getPool();
  const resolved = await drainPipeline({ maxEvents: 10_000 });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  profiler?.report(seconds * 1000);

  const { rows: [c] } = await pool.query(
    `SELECT (SELECT count(*)::int FROM profiles WHERE workspace_id = $1 AND merged_into_id IS NULL) AS profiles,
            (SELECT count(*)::int FROM identities WHERE workspace_id = $1) AS identities,
            (SELECT count(*)::int FROM profile_merges WHERE workspace_id = $1) AS merges,
            (SELECT count(*)::int FROM identity_conflicts WHERE workspace_id = $1) AS conflicts`,
    [ws.id],
  );
  console.log(`\n${machineLine()}\n`);
  printTable(
    ["records", "seconds", "records/s", "profiles", "identities", "merges", "conflicts", "peak RSS MB"],
    [[String(resolved), seconds.toFixed(1), (resolved / seconds).toFixed(0), String(c.profiles), String(c.identities), String(c.merges), String(c.conflicts), (peak / 2 ** 20).toFixed(0)]],
  );
  console.log(`\n${WEB_PEOPLE.toLocaleString("en")} web people known beforehand; ${OVERLAP * 100} % of the CRM records are them. Target: 1,000,000 records in ≤ 60 s.`);
} finally {
  await closePool();
  await postgres.stop();
  if (process.env.BENCH_EXPLAIN) {
    fs.cpSync(path.join(stateDir, "postgres.log"), path.join(os.tmpdir(), "bench-identity-postgres.log"));
    console.log(`Plans of the slow statements: ${path.join(os.tmpdir(), "bench-identity-postgres.log")}`);
  }
  fs.rmSync(stateDir, { recursive: true, force: true });
}
