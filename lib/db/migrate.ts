// Applies prisma/migrations/*/migration.sql in order and records them in `_prisma_migrations`
// exactly as `prisma migrate deploy` does, so the Prisma CLI agrees wherever its engine runs.
// No engine binary is needed at start-up.
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
  failed: string[];
}

const LOCK_ID = 72_707_369; // arbitrary constant: one migrator at a time across processes

export function defaultMigrationsDir() {
  return path.join(/*turbopackIgnore: true*/ process.cwd(), "prisma", "migrations");
}

export function readMigrations(dir = defaultMigrationsDir()): MigrationFile[] {
  if (!fs.existsSync(/*turbopackIgnore: true*/ dir)) return [];
  return fs
    .readdirSync(/*turbopackIgnore: true*/ dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(/*turbopackIgnore: true*/ path.join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(/*turbopackIgnore: true*/ path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

const CREATE_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum"            VARCHAR(64) NOT NULL,
  "finished_at"         TIMESTAMPTZ,
  "migration_name"      VARCHAR(255) NOT NULL,
  "logs"                TEXT,
  "rolled_back_at"      TIMESTAMPTZ,
  "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

type Queryable = Pick<pg.Pool, "query"> | Pick<pg.Client, "query">;

export async function getMigrationStatus(db: Queryable, files = readMigrations()): Promise<MigrationStatus> {
  const exists = await db.query(`SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS ok`);
  const rows: { migration_name: string; finished_at: Date | null; rolled_back_at: Date | null }[] = exists.rows[0].ok
    ? (await db.query(`SELECT migration_name, finished_at, rolled_back_at FROM "_prisma_migrations"`)).rows
    : [];
  const done = new Set(rows.filter((r) => r.finished_at && !r.rolled_back_at).map((r) => r.migration_name));
  const failed = rows.filter((r) => !r.finished_at && !r.rolled_back_at).map((r) => r.migration_name);
  return {
    applied: files.filter((f) => done.has(f.name)).map((f) => f.name),
    pending: files.filter((f) => !done.has(f.name)).map((f) => f.name),
    failed,
  };
}

export async function applyMigrations(options: { connectionString: string; dir?: string; log?: (m: string) => void }): Promise<string[]> {
  const log = options.log ?? (() => {});
  const files = readMigrations(options.dir);
  const client = new pg.Client({ connectionString: options.connectionString, application_name: "tessera-migrate" });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [LOCK_ID]);
    await client.query(CREATE_TABLE);
    const status = await getMigrationStatus(client, files);
    if (status.failed.length) {
      throw new Error(`Migration ${status.failed[0]} failed on an earlier attempt and was left half-applied. Inspect the database, fix it, then mark it rolled back (UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = '${status.failed[0]}').`);
    }
    const recorded = await client.query(`SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`);
    for (const row of recorded.rows as { migration_name: string; checksum: string }[]) {
      const file = files.find((f) => f.name === row.migration_name);
      if (file && file.checksum !== row.checksum) log(`warning: migration ${row.migration_name} was edited after it was applied`);
    }
    const applied: string[] = [];
    for (const file of files.filter((f) => status.pending.includes(f.name))) {
      const id = randomUUID();
      await client.query(`INSERT INTO "_prisma_migrations" (id, checksum, migration_name) VALUES ($1, $2, $3)`, [id, file.checksum, file.name]);
      try {
        await client.query("BEGIN");
        await client.query(file.sql);
        await client.query(`UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`, [id]);
        await client.query("COMMIT");
      } catch (err) {
        await client.query("ROLLBACK").catch(() => {});
        // The migration ran in one transaction, so nothing of it remains: record it as rolled back.
        await client.query(`UPDATE "_prisma_migrations" SET rolled_back_at = now(), logs = $2 WHERE id = $1`, [id, String((err as Error).message)]);
        throw new Error(`Migration ${file.name} failed: ${(err as Error).message}`);
      }
      log(`applied migration ${file.name}`);
      applied.push(file.name);
    }
    return applied;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [LOCK_ID]).catch(() => {});
    await client.end();
  }
}
