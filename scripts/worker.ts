// npm run worker: the background workers (identity pipeline, CSV imports, maintenance sweeps)
// without the HTTP server, against the database of DATABASE_URL, to scale out next to `npm start`.
// Every worker claims its work with FOR UPDATE SKIP LOCKED, so any number of these processes (and
// the server's own workers) can run side by side. The database must already be migrated (npm start
// does that). CSV imports read the uploaded files from TESSERA_DATA_DIR, so a worker on another
// machine needs that directory shared. Ctrl-C / SIGTERM hands work in progress back to the queue.
import path from "node:path";
import { env, EnvError, redactUrl } from "../lib/env";
import { assertDatabaseReachable } from "../lib/db/check-connection";
import { closePool } from "../lib/db/pool";
import { WORKERS } from "../lib/jobs/job-registry";
import { startJobRunner } from "../lib/jobs/start-job-runner";

const root = path.resolve(import.meta.dirname, "..");
process.chdir(root); // relative paths (TESSERA_DATA_DIR) resolve as they do for npm start
const log = (m: string) => console.log(`[tessera-worker] ${m}`);

let jobs: ReturnType<typeof startJobRunner> | null = null;
let stopping = false;

async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  await jobs?.stop().catch((err: Error) => console.error(`[tessera-worker] stopping the workers failed: ${err.message}`));
  await closePool().catch(() => {});
  process.exit(code);
}

function fail(message: string): never {
  console.error(`\n[tessera-worker] ${message}\n`);
  void shutdown(1);
  throw new Error(message);
}

async function main() {
  let config;
  try {
    config = env();
  } catch (err) {
    if (err instanceof EnvError) fail(err.message);
    throw err;
  }
  const databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    fail(
      "DATABASE_URL is not set. npm run worker runs the background workers against the PostgreSQL database of a running Tessera server " +
        "(it has no embedded database): DATABASE_URL=postgresql://user:password@host:5432/tessera npm run worker",
    );
  }
  await assertDatabaseReachable(databaseUrl).catch((err: Error) => fail(`${err.message}\nCheck DATABASE_URL.`));
  if (stopping) return;
  jobs = startJobRunner();
  log(`Started workers ${WORKERS.map((w) => w.name).join(", ")} on PostgreSQL at ${redactUrl(databaseUrl)}; stop with Ctrl-C or SIGTERM.`);
}

function onSignal(signal: NodeJS.Signals) {
  if (stopping) {
    if (signal === "SIGINT") process.exit(130); // a second Ctrl-C does not wait
    return;
  }
  log(`${signal}: stopping (work in progress goes back to the queue)…`);
  void shutdown(0);
}
process.on("SIGINT", onSignal);
process.on("SIGTERM", onSignal);
main().catch((err: Error) => {
  if (!stopping) {
    console.error(`\n[tessera-worker] ${err.message}\n`);
    void shutdown(1);
  }
});
