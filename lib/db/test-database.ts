// Test helpers: fresh databases in the throw-away test cluster (scripts/with-temp-postgres.ts).
import { randomBytes } from "node:crypto";
import pg from "pg";
import { applyMigrations } from "@/lib/db/migrate";
import { setRuntimeEnv } from "@/lib/env";

async function onAdmin<T>(work: (c: pg.Client) => Promise<T>): Promise<T> {
  const base = process.env.TESSERA_TEST_CLUSTER_URL ?? process.env.DATABASE_URL;
  if (!base) throw new Error("DATABASE_URL is not set (run through scripts/with-temp-postgres.ts)");
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

export async function createEmptyDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `t_${randomBytes(6).toString("hex")}`;
  await onAdmin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(process.env.TESSERA_TEST_CLUSTER_URL ?? process.env.DATABASE_URL!);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => onAdmin(async (c) => void (await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))),
  };
}

/**
 * Points this test file's process (lib/env, the pool) at a new migrated database, for tests that
 * need an empty installation. Call before anything opens the pool.
 */
export async function useFreshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  process.env.TESSERA_TEST_CLUSTER_URL ??= process.env.DATABASE_URL;
  const created = await createEmptyDatabase();
  await applyMigrations({ connectionString: created.url });
  setRuntimeEnv({ DATABASE_URL: created.url });
  return created;
}
