// npm run bench:ingest — sustained ingestion through the production server on the embedded
// PostgreSQL, driven from this separate process, next to the physical limit (a raw COPY of the
// same messages into tables with the same indexes). Prints a table; asserts nothing.
// BENCH_SECONDS (default 60) sets the length of each phase.
import fs from "node:fs";
import http from "node:http";
import { randomUUID } from "node:crypto";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { findFreePort } from "../lib/db/embedded-postgres";
import { printTable, machineLine, percentile, peakRssMb } from "./lib/bench-report";
import { createBenchSource, embeddedDatabaseUrl, spawnServer, tempDataDir } from "./lib/spawn-server";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const CLIENTS = 32;
const BATCH = 100;

function message(i: number) {
  return {
    type: "track",
    messageId: randomUUID(),
    userId: `user-${i % 50_000}`,
    anonymousId: `anon-${i % 80_000}`,
    event: ["Product Viewed", "Product Added", "Order Completed", "Page Scrolled"][i % 4],
    properties: { sku: `SKU-${i % 9000}`, price: (i % 500) + 0.99, currency: "EUR", category: "shoes", note: "x".repeat(620) },
    context: { library: { name: "bench", version: "1.0" }, ip: "203.0.113.7", userAgent: "Mozilla/5.0 (X11; Linux x86_64) Bench/1.0", locale: "de-DE" },
    timestamp: new Date().toISOString(),
  };
}

// The load generator shares the 2 cores with the server: bodies are assembled from pre-serialised
// messages with fresh messageIds, so the client spends as little CPU as possible.
const RUN = randomUUID().slice(0, 8);
let seq = 0; // unique across phases: a repeated messageId would be deduplicated
const TEMPLATES = Array.from({ length: 1000 }, (_, i) => {
  const json = JSON.stringify({ ...message(i), messageId: "@ID@" });
  const [head, tail] = json.split("@ID@");
  return { head, tail };
});
function messageJson(seq: number) {
  const t = TEMPLATES[seq % TEMPLATES.length];
  return `${t.head}${RUN}-${seq}${t.tail}`;
}

interface PhaseResult {
  requests: number;
  events: number;
  errors: number;
  seconds: number;
  latencies: number[];
}

async function drive(port: number, writeKey: string, kind: "batch" | "track"): Promise<PhaseResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
  const auth = `Basic ${Buffer.from(`${writeKey}:`).toString("base64")}`;
  const deadline = Date.now() + SECONDS * 1000;
  const result: PhaseResult = { requests: 0, events: 0, errors: 0, seconds: SECONDS, latencies: [] };

  const once = () =>
    new Promise<void>((resolve) => {
      let body: string;
      if (kind === "batch") {
        const parts: string[] = [];
        for (let i = 0; i < BATCH; i++) parts.push(messageJson(seq++));
        body = `{"batch":[${parts.join(",")}]}`;
      } else {
        body = messageJson(seq++);
      }
      const started = performance.now();
      const req = http.request({ host: "127.0.0.1", port, method: "POST", path: kind === "batch" ? "/v1/batch" : "/v1/track", agent, headers: { Authorization: auth, "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on("end", () => {
          result.latencies.push(performance.now() - started);
          result.requests++;
          if (res.statusCode === 200) result.events += kind === "batch" ? BATCH : 1;
          else result.errors++;
          resolve();
        });
      });
      req.on("error", () => {
        result.errors++;
        resolve();
      });
      req.end(body);
    });
  const started = Date.now();
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (Date.now() < deadline) await once();
  }));
  result.seconds = (Date.now() - started) / 1000;
  agent.destroy();
  return result;
}

// The physical limit: the same rows COPYed into tables shaped like events and event_dedupe (same
// indexes), in one transaction, as the tracking API stores each message in both.
async function copyLimit(client: pg.Client, rows: number): Promise<number> {
  await client.query(`DROP TABLE IF EXISTS bench_copy, bench_copy_dedupe;
    CREATE TABLE bench_copy (LIKE events INCLUDING ALL); CREATE TABLE bench_copy_dedupe (LIKE event_dedupe INCLUDING ALL)`);
  const ws = randomUUID();
  const src = randomUUID();
  const messages = Array.from({ length: rows }, (_, i) => message(i));
  const eventLines = function* () {
    for (const [i, m] of messages.entries()) {
      const json = JSON.stringify(m).replace(/\\/g, "\\\\");
      yield `${ws}\t${i + 1}\t${src}\t1\t${m.messageId}\ttrack\t${m.event}\t${m.userId}\t${m.anonymousId}\t${m.timestamp}\t${m.timestamp}\t${json}\n`;
    }
  };
  const dedupeLines = function* () {
    for (const m of messages) yield `${ws}\t${src}\t${m.messageId}\t${m.timestamp}\n`;
  };
  const started = performance.now();
  await client.query("BEGIN");
  await pipeline(Readable.from(dedupeLines()), client.query(copyFrom(`COPY bench_copy_dedupe (workspace_id, source_id, message_id, received_at) FROM STDIN`)));
  await pipeline(Readable.from(eventLines()), client.query(copyFrom(`COPY bench_copy (workspace_id, id, source_id, batch_id, message_id, type, event, user_id, anonymous_id, timestamp, received_at, raw) FROM STDIN`)));
  await client.query("COMMIT");
  const rate = rows / ((performance.now() - started) / 1000);
  await client.query(`DROP TABLE bench_copy, bench_copy_dedupe`);
  return rate;
}

async function main() {
  const dataDir = tempDataDir("tessera-bench-");
  const port = await findFreePort();
  console.log(`Building if needed and starting the production server on port ${port}…`);
  const server = await spawnServer({ dataDir, port, env: { TRACKING_RATE_LIMIT: "10000000" } });
  const client = new pg.Client({ connectionString: embeddedDatabaseUrl(dataDir) });
  await client.connect();
  try {
    const bench = await createBenchSource(client);
    const source = { id: bench.sourceId };
    const { writeKey } = bench;

    console.log(`Driving /v1/batch (${CLIENTS} clients × ${BATCH} messages of ~1 KB) for ${SECONDS} s…`);
    const batch = await drive(port, writeKey, "batch");
    console.log(`Driving /v1/track (${CLIENTS} clients, one message each) for ${SECONDS} s…`);
    const track = await drive(port, writeKey, "track");
    const { rows: [stored] } = await client.query(`SELECT count(*)::int AS n FROM events WHERE source_id = $1`, [source.id]);
    const copyRows = Math.min(Math.max(batch.events, 50_000), 300_000);
    console.log(`COPY of ${copyRows} of the same messages into tables with the same indexes…`);
    const copyRate = await copyLimit(client, copyRows);
    const batchRate = batch.events / batch.seconds;
    const trackRate = track.events / track.seconds;
    const rss = peakRssMb(server.pid!);

    console.log(`\n${machineLine()}\n`);
    printTable(
      ["path", "accepted events/s", "requests/s", "p50 ms", "p99 ms", "errors", "vs COPY"],
      [
        ["/v1/batch (100 × 1 KB, 32 clients)", batchRate.toFixed(0), (batch.requests / batch.seconds).toFixed(0), percentile(batch.latencies, 50).toFixed(1), percentile(batch.latencies, 99).toFixed(1), String(batch.errors), `${((batchRate / copyRate) * 100).toFixed(0)} %`],
        ["/v1/track (1 × 1 KB, 32 clients)", trackRate.toFixed(0), (track.requests / track.seconds).toFixed(0), percentile(track.latencies, 50).toFixed(1), percentile(track.latencies, 99).toFixed(1), String(track.errors), `${((trackRate / copyRate) * 100).toFixed(0)} %`],
        ["COPY, same rows, tables and indexes", copyRate.toFixed(0), "-", "-", "-", "-", "100 %"],
      ],
    );
    console.log(`\nStored ${stored.n} events (accepted ${batch.events + track.events}); server peak RSS ${rss} MB; ${SECONDS} s per phase.`);
  } finally {
    await client.end();
    server.kill("SIGINT");
    await new Promise((r) => server.once("exit", r));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
