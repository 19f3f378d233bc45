// npm run bench:pipeline — the real-time pipeline under sustained load: the production server
// (ingestion + the in-process pipeline worker, as `npm start` runs it) on the embedded PostgreSQL,
// driven at a fixed rate of mixed identify/track events, 20 % of which merge two existing
// profiles. Event→profile latency of each event = when its batch was resolved into profiles
// (ingest_batches.processed_at) − when it was received; both clocks are the database's machine.
// (Its timeline anchors, daily counts and segment memberships follow in the batch's follow-up,
// applied concurrently: bench:segments measures those.)
// BENCH_SECONDS (default 60) and BENCH_RATE (default 5000 events/s) change the load.
import fs from "node:fs";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { findFreePort } from "../lib/db/embedded-postgres";
import { pipelineLag } from "../lib/pipeline/pipeline-lag";
import { machineLine, peakRssMb, printTable } from "./lib/bench-report";
import { batchPoster } from "./lib/batch-poster";
import { createBenchSource, embeddedDatabaseUrl, spawnServer, tempDataDir } from "./lib/spawn-server";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const RATE = Number(process.env.BENCH_RATE ?? 5000);
const BATCH = 100;
const TICK_MS = 100;
const RUN = randomUUID().slice(0, 8);

/**
 * The traffic, per person in ten events: anonymous browsing on a first device, sign-in there
 * (identify: user id, email), then two more devices whose anonymous profiles each merge into the
 * known one on sign-in — two merges of existing profiles in ten events (20 %) — and tracks by the
 * known user. Deterministic per sequence number.
 */
function message(seq: number): Record<string, unknown> {
  const person = Math.floor(seq / 10);
  const step = seq % 10;
  const base = { messageId: `${RUN}-${seq}`, timestamp: new Date().toISOString() };
  const track = (ids: Record<string, string>, event: string) => ({ ...base, type: "track", ...ids, event, properties: { sku: `SKU-${seq % 500}`, price: 19.9 } });
  const identify = (anonymousId: string, traits: Record<string, unknown>) => ({ ...base, type: "identify", anonymousId, userId: `u-${person}`, traits });
  switch (step) {
    case 0:
    case 1:
      return track({ anonymousId: `a1-${person}` }, "Product Viewed");
    case 2:
      return identify(`a1-${person}`, { email: `p${person}@example.com`, plan: "free" });
    case 3:
      return track({ anonymousId: `a2-${person}` }, "App Opened");
    case 4:
      return identify(`a2-${person}`, { last_device: "app" }); // merge
    case 5:
      return track({ anonymousId: `a3-${person}` }, "Page Viewed");
    case 6:
      return identify(`a3-${person}`, { plan: "pro" }); // merge
    default:
      return track({ userId: `u-${person}` }, "Order Completed");
  }
}

async function main() {
  const dataDir = tempDataDir("tessera-bench-pipeline-");
  const port = await findFreePort();
  console.log(`Building if needed and starting the production server on port ${port}…`);
  const server = await spawnServer({ dataDir, port, env: { TRACKING_RATE_LIMIT: "10000000" } });
  const client = new pg.Client({ connectionString: embeddedDatabaseUrl(dataDir) });
  await client.connect();
  try {
    const bench = await createBenchSource(client);
    const ws = { id: bench.workspaceId };
    const { writeKey } = bench;

    const poster = batchPoster(port, writeKey);
    const { post } = poster;
    let seq = 0;
    let sent = 0;
    const inFlight = new Set<Promise<void>>();

    console.log(`Sending ${RATE} events/s (${BATCH} per request) for ${SECONDS} s while the pipeline resolves them…`);
    const lagSamples: number[] = [];
    const sampler = setInterval(async () => {
      lagSamples.push((await pipelineLag({ pool: client })).oldestUnprocessedSeconds);
    }, 1000);
    const started = performance.now();
    const perTick = (RATE * TICK_MS) / 1000;
    let owed = 0;
    for (let tick = 0; performance.now() - started < SECONDS * 1000; tick++) {
      owed += perTick;
      while (owed >= BATCH) {
        owed -= BATCH;
        const batch = Array.from({ length: BATCH }, () => message(seq++));
        const p = post(JSON.stringify({ batch })).finally(() => inFlight.delete(p));
        inFlight.add(p);
        sent += BATCH;
      }
      const next = started + (tick + 1) * TICK_MS;
      await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())));
    }
    await Promise.all(inFlight);
    const sendSeconds = (performance.now() - started) / 1000;
    console.log("Waiting for the pipeline to catch up…");
    for (;;) {
      if ((await pipelineLag({ pool: client })).unprocessedEvents === 0) break;
      await new Promise((res) => setTimeout(res, 250));
    }
    const drainedAt = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const errors = poster.stats.errors;
    poster.close();

    const { rows: [lat] } = await client.query(
      `SELECT count(*)::int AS n,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50, percentile_cont(0.95) WITHIN GROUP (ORDER BY ms) AS p95,
              percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99, max(ms) AS max
       FROM (SELECT extract(epoch FROM b.processed_at - e.received_at) * 1000 AS ms
             FROM events e JOIN ingest_batches b ON b.workspace_id = e.workspace_id AND b.source_id = e.source_id AND b.id = e.batch_id
             WHERE e.workspace_id = $1) t`,
      [ws.id],
    );
    const { rows: [counts] } = await client.query(
      `SELECT (SELECT count(*)::int FROM profile_merges WHERE workspace_id = $1) AS merges,
              (SELECT count(*)::int FROM profiles WHERE workspace_id = $1 AND merged_into_id IS NULL) AS profiles,
              (SELECT count(*)::int FROM identity_conflicts WHERE workspace_id = $1) AS conflicts`,
      [ws.id],
    );
    const rss = peakRssMb(server.pid!);
    console.log(`\n${machineLine()}\n`);
    printTable(
      ["offered events/s", "accepted", "errors", "resolved events/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "max lag s", "merges", "profiles"],
      [[
        String(RATE), String(sent - errors * BATCH), String(errors), (lat.n / drainedAt).toFixed(0),
        Number(lat.p50).toFixed(0), Number(lat.p95).toFixed(0), Number(lat.p99).toFixed(0), Number(lat.max).toFixed(0),
        Math.max(0, ...lagSamples).toFixed(1), String(counts.merges), String(counts.profiles),
      ]],
    );
    console.log(`\nEvent→profile latency = batch resolved − event received. ${lat.n} events over ${sendSeconds.toFixed(0)} s of load; ${(counts.merges / Math.max(1, lat.n) * 100).toFixed(0)} % of events merged two profiles; ${counts.conflicts} conflicts; server peak RSS ${rss} MB.`);
    console.log("Targets: p95 ≤ 1,000 ms, p99 ≤ 3,000 ms at 5,000 events/s.");
  } finally {
    await client.end();
    server.kill("SIGINT");
    await new Promise((r) => server.once("exit", r));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
