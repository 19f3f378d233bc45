// Fails when prisma/schema.prisma and prisma/migrations disagree: the database the migrations
// build must equal the database Prisma would build from the schema.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { applyMigrations } from "@/lib/db/migrate";
import { catalogDifferences, catalogSnapshot } from "@/lib/db/catalog-snapshot";
import { createEmptyDatabase } from "@/lib/db/test-database";
import { diffSchemas } from "@/scripts/lib/prisma6-diff";

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

async function databaseFromSchema(schemaFile: string): Promise<string> {
  const db = await createEmptyDatabase();
  cleanups.push(db.drop);
  const sql = diffSchemas({ fromSchema: null, toSchema: schemaFile, databaseUrl: db.url });
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  await c.query(sql);
  await c.end();
  return db.url;
}

describe("schema drift", () => {
  let fromMigrations: string[];

  it("migrations build exactly the schema in prisma/schema.prisma", async () => {
    const migrated = await createEmptyDatabase();
    cleanups.push(migrated.drop);
    await applyMigrations({ connectionString: migrated.url });
    fromMigrations = await catalogSnapshot(migrated.url);
    const fromSchema = await catalogSnapshot(await databaseFromSchema(path.resolve("prisma/schema.prisma")));
    expect(catalogDifferences(fromSchema, fromMigrations), "Run `npm run db:migration -- <name>` to add a migration for the schema change").toEqual([]);
  });

  it("would notice a schema change that has no migration", async () => {
    const changed = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "tessera-drift-")), "schema.prisma");
    fs.writeFileSync(changed, fs.readFileSync("prisma/schema.prisma", "utf8").replace("  name      String\n", "  name      String\n  plan      String?\n"));
    const fromSchema = await catalogSnapshot(await databaseFromSchema(changed));
    expect(catalogDifferences(fromSchema, fromMigrations)).toEqual([expect.stringMatching(/^missing: column \| workspaces \| plan \| text \| YES/)]);
  });
});
