// npm start: embedded PostgreSQL (unless DATABASE_URL is set) → migrations → demo seed on first
// run → production build if needed → HTTP server. Ctrl-C stops everything in order.
import path from "node:path";
import pg from "pg";
import { env, EnvError, redactUrl, setRuntimeEnv } from "../lib/env";
import { startEmbeddedPostgres, isPortFree, type EmbeddedPostgres } from "../lib/db/embedded-postgres";
import { assertDatabaseReachable } from "../lib/db/check-connection";
import { applyMigrations } from "../lib/db/migrate";
import { closePool } from "../lib/db/pool";
import { prewarmPipelineCache } from "../lib/db/prewarm-pipeline-cache";
import { DEMO_PASSWORD, DEMO_USERS, DEMO_WORKSPACE, createDemoApiToken, demoWebsiteKey, isDemoSeeded, seedDemo } from "../lib/seed/seed-demo";
import { startHttpServer, type HttpServer } from "../lib/server/start-http-server";
import { startJobRunner } from "../lib/jobs/start-job-runner";
import { ensureBuild } from "./lib/ensure-build";
import { readOrCreateAuthSecret } from "./lib/auth-secret";

const root = path.resolve(import.meta.dirname, "..");
process.chdir(root);
process.env.NEXT_TELEMETRY_DISABLED = "1";
const log = (m: string) => console.log(`[tessera] ${m}`);

let postgres: EmbeddedPostgres | null = null;
let server: HttpServer | null = null;
let jobs: ReturnType<typeof startJobRunner> | null = null;
let stopping = false;

async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  await jobs?.stop().catch(() => {});
  await server?.close().catch(() => {});
  await closePool().catch(() => {});
  if (postgres) {
    log("Stopping PostgreSQL…");
    await postgres.stop().catch(() => {});
  }
  process.exit(code);
}

function fail(message: string): never {
  console.error(`\n[tessera] ${message}\n`);
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
  if (!(await isPortFree(config.PORT, config.HOST))) {
    fail(`Port ${config.PORT} is already in use on ${config.HOST}. Stop the program using it, or start Tessera on another port: PORT=3001 npm start`);
  }
  const dataDir = path.resolve(config.TESSERA_DATA_DIR);

  let databaseUrl = config.DATABASE_URL;
  if (databaseUrl) {
    log(`Using PostgreSQL at ${redactUrl(databaseUrl)}`);
    await assertDatabaseReachable(databaseUrl).catch((err: Error) => fail(`${err.message}\nDATABASE_URL is set, so Tessera does not start its embedded database. Unset it to use the embedded one.`));
  } else {
    log(`Starting embedded PostgreSQL (data in ${path.relative(root, dataDir) || "."}/)…`);
    postgres = await startEmbeddedPostgres({ stateDir: dataDir, port: config.TESSERA_PG_PORT, sharedBuffers: config.TESSERA_PG_SHARED_BUFFERS, maxWalSize: config.TESSERA_PG_MAX_WAL_SIZE, log });
    databaseUrl = postgres.url;
    log(`PostgreSQL ready on 127.0.0.1:${postgres.port}`);
  }
  const updates: { DATABASE_URL: string; AUTH_SECRET?: string } = { DATABASE_URL: databaseUrl };
  if (!config.AUTH_SECRET) {
    const { secret, created } = readOrCreateAuthSecret(dataDir);
    updates.AUTH_SECRET = secret;
    if (created) log(`Generated AUTH_SECRET in ${path.relative(root, dataDir)}/auth-secret (set AUTH_SECRET to share sessions across servers).`);
  }
  setRuntimeEnv(updates);

  await applyMigrations({ connectionString: databaseUrl, log });
  // In the background, on a connection of its own (its reads take seconds; the start-up's module
  // loading may block the event loop longer than the shared pool's connect timeout): what the
  // pipeline reads at random, into the database's cache (lib/db/prewarm-pipeline-cache.ts).
  const warmupPool = new pg.Pool({ connectionString: databaseUrl, max: 1, connectionTimeoutMillis: 60_000, application_name: "tessera cache warm-up" });
  warmupPool.on("error", () => {}); // a shutdown during the warm-up ends it; the log line below says so
  const warmupStarted = performance.now();
  void prewarmPipelineCache(warmupPool)
    .then(
      (r) => log(r.skipped ? `Cache warm-up skipped: ${r.skipped}.` : `Cache warm-up done: read ${r.relations} of the pipeline's tables and indexes into the database's cache (${Math.round((r.blocks * 8) / 1024)} MB) in ${((performance.now() - warmupStarted) / 1000).toFixed(1)} s.`),
      (err: Error) => log(`Cache warm-up stopped: ${err.message}`),
    )
    .finally(() => void warmupPool.end());

  const demo = postgres !== null && config.TESSERA_DEMO_SEED;
  let demoToken: Awaited<ReturnType<typeof createDemoApiToken>> = null;
  if (demo && (await seedDemo()) === "seeded") {
    log(`Seeded the demo workspace "${DEMO_WORKSPACE.name}" (a few thousand people across six sources; profiles appear as the pipeline resolves them).`);
    demoToken = await createDemoApiToken();
  }

  ensureBuild(root, log);
  server = await startHttpServer({ dir: root, port: config.PORT, host: config.HOST, trustProxy: config.TRUST_PROXY });
  jobs = startJobRunner();

  const url = `http://localhost:${config.PORT}`;
  console.log(`\n  Tessera is running at ${url}\n`);
  if (demo && (await isDemoSeeded())) {
    console.log(`  Demo sign-in (password "${DEMO_PASSWORD}"):`);
    for (const u of DEMO_USERS) console.log(`    ${u.role.padEnd(9)} ${u.email}`);
    const key = await demoWebsiteKey();
    if (key) {
      console.log(`\n  Send a first event to the demo Website source (write key ${key}):`);
      console.log(`    curl -X POST ${url}/v1/track -u '${key}:' -H 'Content-Type: application/json' \\`);
      console.log(`      -d '{"userId":"user-1","event":"Order Completed","properties":{"total":42}}'`);
      console.log(`  and watch it arrive: ${url}/${DEMO_WORKSPACE.slug}/sources (Online shop → Overview).`);
    }
    if (demoToken) {
      console.log(`\n  Read a demo person's traits over the Profile API (this token is shown only now):`);
      console.log(`    curl -u '${demoToken.token}:' ${url}/v1/spaces/${DEMO_WORKSPACE.slug}/collections/users/profiles/${demoToken.identifier}/traits`);
    }
    console.log("");
  }
  console.log("  Press Ctrl-C to stop.\n");
}

process.on("SIGINT", () => void (stopping ? process.exit(130) : (log("Shutting down…"), shutdown(0))));
process.on("SIGTERM", () => void shutdown(0));
main().catch((err: Error) => {
  if (!stopping) {
    console.error(`\n[tessera] ${err.message}\n`);
    void shutdown(1);
  }
});
