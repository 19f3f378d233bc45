// Migration SQL from two Prisma datamodels, produced offline by Prisma 6's WASM schema engine
// (npm alias `prisma6`). Prisma 7's CLI would download a native engine for this; see STACK notes.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Prisma 6 wants the URL in the datasource block; Prisma 7 forbids it there. */
function withDatasourceUrl(schemaFile: string, dir: string, name: string): string {
  const text = fs.readFileSync(schemaFile, "utf8").replace(/datasource\s+db\s*\{/, 'datasource db {\n  url = env("MIGRATION_DATABASE_URL")');
  const out = path.join(dir, `${name}.prisma`);
  fs.writeFileSync(out, text);
  return out;
}

/**
 * SQL that turns `fromSchema` (or an empty database) into `toSchema`. The engine opens a
 * connection to `databaseUrl` (any scratch database) even for a pure datamodel diff.
 */
export function diffSchemas(options: { fromSchema: string | null; toSchema: string; databaseUrl: string }): string {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tessera-diff-"));
  try {
    const to = withDatasourceUrl(options.toSchema, tmp, "to");
    const from = options.fromSchema ? ["--from-schema-datamodel", withDatasourceUrl(options.fromSchema, tmp, "from")] : ["--from-empty"];
    const r = spawnSync(
      process.execPath,
      ["-r", path.join(ROOT, "scripts/prisma6/unref-timers.cjs"), path.join(ROOT, "node_modules/prisma6/build/index.js"), "migrate", "diff", "--config", path.join(ROOT, "scripts/prisma6/prisma6.config.ts"), ...from, "--to-schema-datamodel", to, "--script"],
      {
        cwd: ROOT,
        encoding: "utf8",
        env: {
          ...process.env,
          MIGRATION_DATABASE_URL: options.databaseUrl,
          // Prisma 6 looks for engines it does not use with `engine: "js"`; any file satisfies it.
          PRISMA_QUERY_ENGINE_LIBRARY: process.execPath,
          PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
          PRISMA_HIDE_UPDATE_MESSAGE: "1",
          CHECKPOINT_DISABLE: "1",
        },
      },
    );
    if (r.status !== 0) throw new Error(`prisma migrate diff failed:\n${r.stderr || r.stdout}`);
    return r.stdout;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

export function isEmptyMigration(sql: string) {
  return sql.split("\n").every((line) => line.trim() === "" || line.trim().startsWith("--"));
}
