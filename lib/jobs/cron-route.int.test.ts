// The cron routes' one gate: refused without CRON_SECRET configured, 401 with a wrong or missing
// bearer token, and the job's result with the right one (here the segments sweep, which moves a
// member whose qualifying event left the window).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/cron/segments-sweep/route";
import { closePool, getPool } from "@/lib/db/pool";
import { useFreshDatabase } from "@/lib/db/test-database";
import { createTestSource } from "@/lib/ingest/test-tracking-server";
import { createSegment } from "@/lib/segments/save-segment";

const SECRET = "cron-secret-for-tests-0123456789";
const call = (authorization?: string) => POST(new Request("http://localhost/api/cron/segments-sweep", { method: "POST", headers: authorization ? { authorization } : {} }));

// The sweep covers every workspace: a database of its own keeps it out of other test files' data.
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ drop } = await useFreshDatabase());
});
afterAll(async () => {
  await closePool();
  await drop();
});

describe("cron routes", () => {
  it("refuse every call while CRON_SECRET is unset", async () => {
    delete process.env.CRON_SECRET;
    const { setRuntimeEnv } = await import("@/lib/env");
    setRuntimeEnv({});
    const res = await call(`Bearer ${SECRET}`);
    expect(res.status).toBe(503);
    expect((await res.json()).error.message).toMatch(/CRON_SECRET/);
  });

  it("check the bearer token, then run the job", async () => {
    process.env.CRON_SECRET = SECRET;
    const { setRuntimeEnv } = await import("@/lib/env");
    setRuntimeEnv({});
    expect((await call()).status).toBe(401);
    expect((await call("Bearer wrong-secret-of-the-same-len")).status).toBe(401);

    const { workspaceId } = await createTestSource();
    const { id } = await createSegment({ workspaceId, userId: null, name: "Ordered in the last 3 days", rule: { kind: "group", op: "and", negate: false, children: [{ kind: "event", event: "Order Completed", count: { op: "at_least", value: 1 }, window: { type: "last_days", days: 3 }, where: [] }] } });
    // A member whose order is 10 days old (as if the window had slid since the last check).
    const [{ profile }] = (await getPool().query<{ profile: string }>(`INSERT INTO profiles (workspace_id, id, first_seen_at, last_seen_at) VALUES ($1, gen_random_uuid(), now(), now()) RETURNING id AS profile`, [workspaceId])).rows;
    await getPool().query(`INSERT INTO profile_event_days (workspace_id, profile_id, event, day, count) VALUES ($1, $2, 'Order Completed', (now() - interval '10 days')::date, 1)`, [workspaceId, profile]);
    await getPool().query(`INSERT INTO segment_memberships (workspace_id, segment_id, profile_id, entered_at) VALUES ($1, $2, $3, now() - interval '10 days')`, [workspaceId, id, profile]);
    await getPool().query(`UPDATE segments SET member_count = 1 WHERE workspace_id = $1 AND id = $2`, [workspaceId, id]);

    const res = await call(`Bearer ${SECRET}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ job: "segments-sweep", workspaces: 1, entered: 0, exited: 1, failed: 0 });
    const { rows } = await getPool().query(`SELECT kind, cause FROM segment_membership_changes WHERE workspace_id = $1 AND profile_id = $2`, [workspaceId, profile]);
    expect(rows).toEqual([{ kind: "exit", cause: "window_expiry" }]);
  });
});
