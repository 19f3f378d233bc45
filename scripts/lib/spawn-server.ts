// Starts `scripts/start.ts` (what `npm start` runs) as a child process on its own embedded
// PostgreSQL in `dataDir`, for the bench and check scripts. Resolves once it serves.
// BENCH_SERVER_NODE_ARGS adds Node flags to the server (e.g. "--cpu-prof --cpu-prof-dir=/tmp/p").
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");

export function spawnServer(options: { dataDir: string; port: number; env?: Record<string, string> }): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...(process.env.BENCH_SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean), "--max-semi-space-size=64", "--import", "tsx", "scripts/start.ts"], {
    cwd: root,
    env: { ...process.env, PORT: String(options.port), HOST: "127.0.0.1", TESSERA_DATA_DIR: options.dataDir, TESSERA_DEMO_SEED: "false", DATABASE_URL: "", ...options.env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d) => {
      out += d;
      if (out.includes("Tessera is running")) resolve(child);
    });
    child.on("exit", (code) => reject(new Error(`server exited (${code}):\n${out}`)));
  });
}

/** Connection URL of the embedded PostgreSQL a spawned server runs (its port may change on restart). */
export function embeddedDatabaseUrl(dataDir: string): string {
  const c = JSON.parse(fs.readFileSync(path.join(dataDir, "postgres.json"), "utf8")) as { user: string; password: string; port: number };
  return `postgresql://${c.user}:${encodeURIComponent(c.password)}@127.0.0.1:${c.port}/tessera`;
}
