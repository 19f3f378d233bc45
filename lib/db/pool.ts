// One pg pool per process, shared by Prisma (through its adapter) and raw SQL on hot paths.
// Kept on globalThis so the HTTP server (metrics) and Next's bundles see the same instance.
import pg from "pg";
import { env } from "@/lib/env";

const KEY = Symbol.for("tessera.pgPool");
type WithPool = typeof globalThis & { [KEY]?: pg.Pool };

export function getPool(): pg.Pool {
  const g = globalThis as WithPool;
  if (!g[KEY]) {
    const url = env().DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set (npm start sets it for the embedded database).");
    const pool = new pg.Pool({
      connectionString: url,
      max: 10,
      connectionTimeoutMillis: 3000,
      idleTimeoutMillis: 30_000,
      application_name: "tessera",
    });
    // An idle client losing its connection (database restart) must not crash the process.
    pool.on("error", (err) => console.error(`[db] idle connection error: ${err.message}`));
    g[KEY] = pool;
  }
  return g[KEY];
}

export function peekPool(): pg.Pool | undefined {
  return (globalThis as WithPool)[KEY];
}

export async function closePool() {
  const g = globalThis as WithPool;
  const pool = g[KEY];
  g[KEY] = undefined;
  await pool?.end();
}
