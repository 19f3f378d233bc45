// npm run bench:import — a 1,000,000-row CSV imported through the production server (what
// `npm start` runs, on its own embedded PostgreSQL): signed in over HTTP, the file streamed to the
// upload route, the mapping saved as the page's action does, the server's background worker
// running the import. Prints the time of each step and the server's peak memory (VmHWM).
// BENCH_ROWS overrides the row count.
import fs from "node:fs";
import path from "node:path";
import { once } from "node:events";
import { Readable } from "node:stream";
import pg from "pg";
import { findFreePort } from "../lib/db/embedded-postgres";
import { setRuntimeEnv } from "../lib/env";
import { closePool } from "../lib/db/pool";
import { hashPassword } from "../lib/auth/password";
import { startImport } from "../lib/imports/start-import";
import { createSource } from "../lib/sources/create-source";
import { db } from "../lib/db/prisma";
import { machineLine, peakRssMb, printTable } from "./lib/bench-report";
import { embeddedDatabaseUrl, spawnServer, tempDataDir } from "./lib/spawn-server";

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const EMAIL = "bench@tessera.test";
const PASSWORD = "bench-import-password";

async function writeCsv(file: string, rows: number) {
  const out = fs.createWriteStream(file);
  out.write("customer_id,email,phone,first_name,city,lifetime_value,vip,signed_up\n");
  const cities = ["Zürich", "Berlin", "Lyon", "Graz", "Bergen", "Porto", "Kraków", "Gent"];
  let buf = "";
  for (let n = 1; n <= rows; n++) {
    const email = n % 10_000 === 5 ? `broken-${n}` : `customer${n}@example.com`;
    buf += `c-${n},${email},+41 79 ${String(1_000_000 + n).slice(-7)},"Name ${n}, Jr.",${cities[n % 8]},${(n % 997) + 0.5},${n % 2 ? "true" : "false"},2023-0${(n % 9) + 1}-1${n % 10}\n`;
    if (buf.length > 1 << 20 || n === rows) {
      if (!out.write(buf)) await once(out, "drain");
      buf = "";
    }
  }
  out.end();
  await once(out, "finish");
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

/** Signs in through next-auth's credentials endpoint like the login form; returns the Cookie header. */
async function signIn(base: string): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const eq = pair.indexOf("=");
      jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const csrf = await fetch(`${base}/api/auth/csrf`);
  keep(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie() },
    body: new URLSearchParams({ csrfToken, email: EMAIL, password: PASSWORD, callbackUrl: `${base}/` }),
  });
  keep(res);
  if (![...jar.keys()].some((k) => k.endsWith("authjs.session-token"))) throw new Error(`sign-in failed (${res.status})`);
  return cookie();
}

async function main() {
  const dataDir = tempDataDir("tessera-bench-import-");
  const csv = path.join(dataDir, "customers.csv");
  console.log(`Writing a ${ROWS.toLocaleString("en")}-row CSV…`);
  await writeCsv(csv, ROWS);
  const megabytes = fs.statSync(csv).size / 2 ** 20;

  const port = await findFreePort();
  console.log(`Building if needed and starting the production server on port ${port}…`);
  const server = await spawnServer({ dataDir, port });
  const base = `http://127.0.0.1:${port}`;
  try {
    setRuntimeEnv({ DATABASE_URL: embeddedDatabaseUrl(dataDir) });
    const user = await db().user.create({ data: { email: EMAIL, name: "Bench", passwordHash: await hashPassword(PASSWORD) } });
    const workspace = await db().workspace.create({ data: { slug: "bench", name: "Bench", memberships: { create: { userId: user.id, role: "admin" } } } });
    const source = await createSource({ workspaceId: workspace.id, name: "CRM export", kind: "file" });
    const cookie = await signIn(base);

    const baseline = rssMb(server.pid!);
    let peakSampled = baseline;
    const timeline: number[] = []; // server RSS each second, printed after the table
    const sampler = setInterval(() => (peakSampled = Math.max(peakSampled, rssMb(server.pid!))), 200);
    const everySecond = setInterval(() => timeline.push(rssMb(server.pid!)), 1000);
    const started = performance.now();
    const upload = await fetch(`${base}/api/workspaces/bench/sources/${source.id}/imports`, {
      method: "POST",
      headers: { Cookie: cookie, "X-File-Name": "customers.csv", "Content-Type": "text/csv" },
      body: Readable.toWeb(fs.createReadStream(csv)) as ReadableStream,
      duplex: "half",
    } as RequestInit);
    if (!upload.ok) throw new Error(`upload failed: ${upload.status} ${await upload.text()}`);
    const { importId } = (await upload.json()) as { importId: string };
    const analyzed = performance.now();
    console.log(`Uploaded and analysed in ${((analyzed - started) / 1000).toFixed(1)} s; the server's worker imports…`);
    await startImport({
      workspaceId: workspace.id,
      importId,
      mapping: {
        mode: "identify",
        columns: {
          customer_id: { as: "user_id" },
          email: { as: "email" },
          phone: { as: "phone" },
          first_name: { as: "trait", trait: "first_name" },
          city: { as: "trait", trait: "city" },
          lifetime_value: { as: "trait", trait: "lifetime_value", type: "number" },
          vip: { as: "trait", trait: "vip", type: "boolean" },
          signed_up: { as: "trait", trait: "signed_up", type: "date" },
        },
      },
    });
    let job: { status: string; rowsImported: number; rowsFailed: number };
    for (;;) {
      job = await db().importJob.findFirstOrThrow({ where: { id: importId }, select: { status: true, rowsImported: true, rowsFailed: true } });
      if (!["queued", "running"].includes(job.status)) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const finished = performance.now();
    clearInterval(sampler);
    clearInterval(everySecond);
    if (job.status !== "completed") throw new Error(`the import ended ${job.status}`);
    const c = new pg.Client({ connectionString: embeddedDatabaseUrl(dataDir) });
    await c.connect();
    const { rows: [stored] } = await c.query(`SELECT count(*)::int AS n FROM events WHERE source_id = $1`, [source.id]);
    await c.end();

    const importSeconds = (finished - analyzed) / 1000;
    console.log(`\n${machineLine()}\n`);
    printTable(
      ["rows", "MB", "upload + analysis s", "import s", "total s", "rows/s", "imported", "failed rows", "events stored", "server RSS before MB", "server peak RSS MB"],
      [[
        String(ROWS), megabytes.toFixed(1), ((analyzed - started) / 1000).toFixed(1), importSeconds.toFixed(1), ((finished - started) / 1000).toFixed(1),
        (ROWS / importSeconds).toFixed(0), String(job.rowsImported), String(job.rowsFailed), String(stored.n), String(baseline), String(Math.max(peakSampled, peakRssMb(server.pid!))),
      ]],
    );
    console.log(`\nServer RSS each second of the run (MB): ${timeline.join(" ")}`);
    console.log("Server peak RSS is the server process's high-water mark (VmHWM) since it started.");
  } finally {
    await closePool();
    server.kill("SIGINT");
    await new Promise((r) => server.once("exit", r));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
