import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { applyMigrations, getMigrationStatus, readMigrations } from "@/lib/db/migrate";
import { createEmptyDatabase } from "@/lib/db/test-database";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function emptyDb() {
  const db = await createEmptyDatabase();
  cleanups.push(db.drop);
  return db.url;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

describe("migrations", () => {
  it("apply from an empty database and record themselves the way Prisma does", async () => {
    const url = await emptyDb();
    const files = readMigrations();
    expect(files.length).toBeGreaterThan(0);

    const applied = await applyMigrations({ connectionString: url });
    expect(applied).toEqual(files.map((f) => f.name));

    const tables = (await query<{ table_name: string }>(url, `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`)).map((r) => r.table_name);
    expect(tables).toEqual(expect.arrayContaining(["workspaces", "users", "memberships", "rate_limit_buckets", "system_settings", "_prisma_migrations"]));

    const rows = await query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(url, `SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`);
    expect(rows.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
    expect(rows.map((r) => r.checksum)).toEqual(files.map((f) => f.checksum));
    expect(rows.every((r) => r.finished_at !== null && r.applied_steps_count === 1)).toBe(true);
  });

  it("are idempotent and report no pending migration afterwards", async () => {
    const url = await emptyDb();
    await applyMigrations({ connectionString: url });
    expect(await applyMigrations({ connectionString: url })).toEqual([]);
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const status = await getMigrationStatus(c);
    await c.end();
    expect(status.pending).toEqual([]);
    expect(status.failed).toEqual([]);
    expect(status.applied.length).toBe(readMigrations().length);
  });

  it("apply concurrently without running a migration twice", async () => {
    const url = await emptyDb();
    const results = await Promise.all([applyMigrations({ connectionString: url }), applyMigrations({ connectionString: url })]);
    expect(results.flat().sort()).toEqual(readMigrations().map((f) => f.name));
  });

  it("roll a failing migration back completely and name it", async () => {
    const url = await emptyDb();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tessera-migrations-"));
    cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    fs.mkdirSync(path.join(dir, "001_ok"));
    fs.writeFileSync(path.join(dir, "001_ok", "migration.sql"), "CREATE TABLE a (id int);");
    fs.mkdirSync(path.join(dir, "002_broken"));
    fs.writeFileSync(path.join(dir, "002_broken", "migration.sql"), "CREATE TABLE b (id int);\nSELECT * FROM no_such_table;");

    await expect(applyMigrations({ connectionString: url, dir })).rejects.toThrow(/Migration 002_broken failed: .*no_such_table/);
    const tables = (await query<{ t: string | null }>(url, `SELECT to_regclass('a')::text AS t UNION ALL SELECT to_regclass('b')::text`)).map((r) => r.t);
    expect(tables).toEqual(["a", null]); // 001 kept, 002 left no trace
    const rows = await query<{ migration_name: string; rolled_back_at: Date | null }>(url, `SELECT migration_name, rolled_back_at FROM "_prisma_migrations" ORDER BY migration_name`);
    expect(rows[1]).toMatchObject({ migration_name: "002_broken" });
    expect(rows[1].rolled_back_at).not.toBeNull();
  });
});
