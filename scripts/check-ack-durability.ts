// npm run check:durability — SIGKILL the server (and crash its PostgreSQL) under load, restart,
// and check that every acknowledged messageId is stored. Exits 1 if any is missing.
// CHECK_SECONDS (default 8) sets how long the load runs before the kill.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import pg from "pg";
import { findFreePort } from "../lib/db/embedded-postgres";
import { generateWriteKey } from "../lib/sources/generate-write-key";
import { printTable } from "./lib/bench-report";
import { embeddedDatabaseUrl, spawnServer, tempDataDir } from "./lib/spawn-server";

const SECONDS = Number(process.env.CHECK_SECONDS ?? 8);
const CLIENTS = 16;

function postmasterPid(dataDir: string): number | null {
  const pidFile = path.join(dataDir, "pg", "postmaster.pid");
  return fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]) : null;
}

async function main() {
  const dataDir = tempDataDir("tessera-durability-");
  const port = await findFreePort();
  let server = await spawnServer({ dataDir, port });
  const url = () => embeddedDatabaseUrl(dataDir);
  const writeKey = generateWriteKey();
  let sourceId: string;
  {
    const c = new pg.Client({ connectionString: url() });
    await c.connect();
    const { rows: [ws] } = await c.query(`INSERT INTO workspaces (id, slug, name, updated_at) VALUES (gen_random_uuid(), 'durability', 'Durability', now()) RETURNING id`);
    const { rows: [src] } = await c.query(`INSERT INTO sources (id, workspace_id, name, kind, updated_at) VALUES (gen_random_uuid(), $1, 'Load', 'server', now()) RETURNING id`, [ws.id]);
    await c.query(`INSERT INTO source_write_keys (key, workspace_id, source_id) VALUES ($1, $2, $3)`, [writeKey, ws.id, src.id]);
    sourceId = src.id;
    await c.end();
  }

  const acked = new Set<string>();
  let sent = 0;
  let failed = 0;
  let stop = false;
  const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
  const auth = `Basic ${Buffer.from(`${writeKey}:`).toString("base64")}`;
  const send = () =>
    new Promise<void>((resolve) => {
      const ids = Array.from({ length: 50 }, () => `dur-${sent++}`);
      const body = JSON.stringify({ batch: ids.map((messageId, i) => ({ type: "track", messageId, userId: `u${i}`, event: "Durable", properties: { n: i } })) });
      const req = http.request({ host: "127.0.0.1", port, path: "/v1/batch", method: "POST", agent, headers: { Authorization: auth, "Content-Type": "application/json" } }, (res) => {
        res.resume();
        res.on("end", () => {
          if (res.statusCode === 200) ids.forEach((id) => acked.add(id));
          else failed++;
          resolve();
        });
        res.on("error", () => resolve());
      });
      req.on("error", () => {
        failed++;
        resolve();
      });
      req.end(body);
    });
  const load = Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (!stop) await send();
  }));

  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  // The crash: the app process and the whole PostgreSQL process group, with no chance to clean up.
  const pgPid = postmasterPid(dataDir);
  server.kill("SIGKILL");
  if (pgPid) process.kill(-pgPid, "SIGKILL");
  stop = true;
  await load;
  agent.destroy();
  console.log(`Killed the server and PostgreSQL after ${SECONDS} s of load; restarting…`);

  server = await spawnServer({ dataDir, port });
  const c = new pg.Client({ connectionString: url() });
  await c.connect();
  const { rows } = await c.query<{ message_id: string }>(`SELECT message_id FROM events WHERE source_id = $1`, [sourceId]);
  await c.end();
  const stored = new Set(rows.map((r) => r.message_id));
  const missing = [...acked].filter((id) => !stored.has(id));
  printTable(
    ["messages sent", "acknowledged", "stored after restart", "acknowledged but missing", "refused or cut off"],
    [[String(sent), String(acked.size), String(stored.size), String(missing.length), `${failed} requests`]],
  );
  server.kill("SIGINT");
  await new Promise((r) => server.once("exit", r));
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (missing.length > 0) {
    console.error(`FAILED: ${missing.length} acknowledged messages are missing, e.g. ${missing.slice(0, 5).join(", ")}`);
    process.exit(1);
  }
  console.log("OK: every acknowledged message survived the crash.");
}

await main();
