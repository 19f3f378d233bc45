// Runs a command against a throw-away embedded PostgreSQL in a temp directory, so tests never
// touch the dev data: tsx scripts/with-temp-postgres.ts <command> [args...]
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "../lib/db/embedded-postgres";

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error("usage: tsx scripts/with-temp-postgres.ts <command> [args...]");
  process.exit(2);
}
const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "tessera-test-"));
fs.chmodSync(stateDir, 0o755); // as root, Postgres runs as `postgres` and must reach it
const pg = await startEmbeddedPostgres({ stateDir, ephemeral: true });

const bin = path.resolve(import.meta.dirname, "..", "node_modules", ".bin", command);
const child = spawn(fs.existsSync(bin) ? bin : command, args, {
  stdio: "inherit",
  env: { ...process.env, DATABASE_URL: pg.url, TESSERA_TEST_DATABASE: "1" },
});
const forward = (signal: NodeJS.Signals) => child.kill(signal);
process.on("SIGINT", forward);
process.on("SIGTERM", forward);
child.on("exit", async (code, signal) => {
  await pg.stop();
  process.exit(code ?? (signal ? 1 : 0));
});
