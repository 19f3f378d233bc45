// Starts the server exactly as `npm start` does (same Node flags and environment) as a child
// process on its own embedded PostgreSQL in `dataDir`, for the bench and check scripts. Resolves
// once it serves.
// BENCH_SERVER_NODE_ARGS adds Node flags to the server (e.g. "--cpu-prof --cpu-prof-dir=/tmp/p").
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type pg from "pg";
import { generateWriteKey } from "../../lib/sources/generate-write-key";

const root = path.resolve(import.meta.dirname, "../..");

/** `npm start`'s environment variables and Node flags, read from package.json: one source of truth. */
function startCommand(): { env: Record<string, string>; args: string[] } {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: { start: string } };
  const tokens = pkg.scripts.start.split(/\s+/);
  const env: Record<string, string> = {};
  while (/^[A-Z_]+=/.test(tokens[0])) {
    const [k, v] = tokens.shift()!.split("=");
    env[k] = v;
  }
  if (tokens.shift() !== "node") throw new Error(`unexpected start script: ${pkg.scripts.start}`);
  return { env, args: tokens };
}

/** A fresh temporary data directory the embedded PostgreSQL (its own user when run as root) can enter. */
export function tempDataDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(dir, 0o755);
  return dir;
}

export function spawnServer(options: { dataDir: string; port: number; env?: Record<string, string> }): Promise<ChildProcess> {
  const start = startCommand();
  const extra = (process.env.BENCH_SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const script = start.args.indexOf("--import"); // extra flags go after npm start's, so they win
  const child = spawn(process.execPath, [...start.args.slice(0, script), ...extra, ...start.args.slice(script)], {
    cwd: root,
    env: { ...process.env, ...start.env, PORT: String(options.port), HOST: "127.0.0.1", TESSERA_DATA_DIR: options.dataDir, TESSERA_DEMO_SEED: "false", DATABASE_URL: "", ...options.env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    let ready = false;
    // Ready once it serves and its start-up cache warm-up (scripts/start.ts) has finished, so what a
    // benchmark measures first does not compete with the warm-up's reads.
    child.stdout!.on("data", (d) => {
      out += d;
      const warmup = /Cache warm-up (done|skipped|stopped)[^\n]*/.exec(out);
      if (!ready && out.includes("Tessera is running") && warmup) {
        ready = true;
        console.log(`Server: ${warmup[0]}`);
        resolve(child);
      }
    });
    child.on("exit", (code) => reject(new Error(`server exited (${code}):\n${out}`)));
  });
}

/** Connection URL of the embedded PostgreSQL a spawned server runs (its port may change on restart). */
export function embeddedDatabaseUrl(dataDir: string): string {
  const c = JSON.parse(fs.readFileSync(path.join(dataDir, "postgres.json"), "utf8")) as { user: string; password: string; port: number };
  return `postgresql://${c.user}:${encodeURIComponent(c.password)}@127.0.0.1:${c.port}/tessera`;
}

/** A workspace with one server source and its write key, for a benchmark's traffic. */
export async function createBenchSource(client: pg.Client): Promise<{ workspaceId: string; sourceId: string; writeKey: string }> {
  const { rows: [ws] } = await client.query(`INSERT INTO workspaces (id, slug, name, updated_at) VALUES (gen_random_uuid(), 'bench', 'Bench', now()) RETURNING id`);
  const { rows: [source] } = await client.query(`INSERT INTO sources (id, workspace_id, name, kind, updated_at) VALUES (gen_random_uuid(), $1, 'Bench', 'server', now()) RETURNING id`, [ws.id]);
  const writeKey = generateWriteKey();
  await client.query(`INSERT INTO source_write_keys (key, workspace_id, source_id) VALUES ($1, $2, $3)`, [writeKey, ws.id, source.id]);
  return { workspaceId: ws.id, sourceId: source.id, writeKey };
}
