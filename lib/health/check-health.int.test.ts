// /api/health's report: 503 while the database is down, and back to ok by itself when it returns.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { applyMigrations } from "@/lib/db/migrate";
import { closePool } from "@/lib/db/pool";
import { assertDatabaseReachable } from "@/lib/db/check-connection";
import { setRuntimeEnv } from "@/lib/env";
import { checkHealth } from "@/lib/health/check-health";

const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "tessera-health-"));
fs.chmodSync(stateDir, 0o755);
let db: EmbeddedPostgres;
afterAll(async () => {
  await closePool();
  await db?.stop();
  fs.rmSync(stateDir, { recursive: true, force: true });
});

describe("health", () => {
  it("reports pending migrations as unavailable, then ok once applied", async () => {
    db = await startEmbeddedPostgres({ stateDir });
    setRuntimeEnv({ DATABASE_URL: db.url });
    const before = await checkHealth();
    expect(before).toMatchObject({ status: "unavailable", database: { status: "up" }, migrations: { status: "pending" } });
    await applyMigrations({ connectionString: db.url });
    expect(await checkHealth()).toMatchObject({ status: "ok", database: { status: "up" }, migrations: { status: "current", pending: [] } });
  });

  it("reports the database down while it is stopped and recovers when it returns", async () => {
    const port = db.port;
    await db.stop();
    const down = await checkHealth();
    expect(down).toMatchObject({ status: "unavailable", database: { status: "down" } });
    expect(JSON.stringify(down)).not.toContain(db.url.split("@")[0]); // no credentials in the report

    db = await startEmbeddedPostgres({ stateDir, port });
    expect(await checkHealth()).toMatchObject({ status: "ok", database: { status: "up" } });
  });

  it("fails fast on an unreachable DATABASE_URL, naming the host and what to check", async () => {
    const started = Date.now();
    await expect(assertDatabaseReachable("postgresql://u:secret@127.0.0.1:1/tessera")).rejects.toThrow(
      "Cannot connect to PostgreSQL at 127.0.0.1:1 (connection refused: is PostgreSQL running and listening on that port?).",
    );
    expect(Date.now() - started).toBeLessThan(5000);
    await expect(assertDatabaseReachable(db.url.replace(/:[^:@]*@/, ":wrong@"))).rejects.toThrow(/authentication failed for user "tessera"/);
  });
});
