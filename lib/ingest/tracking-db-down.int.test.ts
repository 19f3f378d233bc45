// Database down: the tracking API answers 503 (so SDKs retry) and resumes by itself, with every
// acknowledged message stored.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { applyMigrations } from "@/lib/db/migrate";
import { closePool, getPool } from "@/lib/db/pool";
import { setRuntimeEnv } from "@/lib/env";
import { createTestSource, startTrackingServer } from "@/lib/ingest/test-tracking-server";

const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "tessera-ingest-down-"));
fs.chmodSync(stateDir, 0o755);
let pg: EmbeddedPostgres;
let server: Awaited<ReturnType<typeof startTrackingServer>>;

beforeAll(async () => {
  pg = await startEmbeddedPostgres({ stateDir });
  await applyMigrations({ connectionString: pg.url });
  setRuntimeEnv({ DATABASE_URL: pg.url });
  server = await startTrackingServer();
});
afterAll(async () => {
  await server.close();
  await closePool();
  await pg.stop();
  fs.rmSync(stateDir, { recursive: true, force: true });
});

const send = (writeKey: string, messageId: string) =>
  fetch(`${server.url}/v1/track`, {
    method: "POST",
    headers: { Authorization: `Basic ${Buffer.from(`${writeKey}:`).toString("base64")}`, "Content-Type": "application/json" },
    body: JSON.stringify({ userId: "u", event: "E", messageId }),
  });

describe("tracking API with the database down", () => {
  it("answers 503 with Retry-After while down and stores again once it is back", async () => {
    const s = await createTestSource();
    const acked: string[] = [];
    for (let i = 0; i < 5; i++) if ((await send(s.writeKey, `before-${i}`)).status === 200) acked.push(`before-${i}`);
    expect(acked).toHaveLength(5);

    const port = pg.port;
    await pg.stop();
    const down = await send(s.writeKey, "during-0");
    expect(down.status).toBe(503);
    expect(down.headers.get("retry-after")).toBe("5");
    expect((await down.json()).error.code).toBe("unavailable");

    pg = await startEmbeddedPostgres({ stateDir, port });
    // The SDK's retry of the refused message, and new traffic, both go through.
    for (const id of ["during-0", "after-0", "after-1"]) {
      expect((await send(s.writeKey, id)).status).toBe(200);
      acked.push(id);
    }
    const { rows } = await getPool().query<{ message_id: string }>(`SELECT message_id FROM events WHERE source_id = $1`, [s.sourceId]);
    expect(rows.map((r) => r.message_id).sort()).toEqual([...acked].sort());
  });
});
