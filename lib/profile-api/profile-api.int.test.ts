// The Profile API over HTTP against a real PostgreSQL, per ../shared/contracts/profile-api.md.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createApiToken, forgetApiTokens, revokeApiToken } from "@/lib/profile-api/api-tokens";
import { createTestSource, trackingServerForTests } from "@/lib/ingest/test-tracking-server";
import { processPipelineBatch } from "@/lib/pipeline/process-pipeline-batch";
import { getPool } from "@/lib/db/pool";

const server = trackingServerForTests();
const basic = (user: string) => `Basic ${Buffer.from(`${user}:`).toString("base64")}`;
let s: Awaited<ReturnType<typeof createTestSource>>;
let token: string;
let slug: string;

async function get(path: string, auth: string | null = token) {
  const res = await fetch(`${server.url}${path}`, { headers: auth ? { Authorization: basic(auth) } : {} });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}
const users = (id: string, resource: string, query = "") => `/v1/spaces/${slug}/collections/users/profiles/${id}/${resource}${query}`;
const at = (minute: number) => new Date(Date.UTC(2026, 10, 2, 9, minute)).toISOString();

beforeAll(async () => {
  s = await createTestSource();
  const { rows } = await getPool().query(`SELECT slug FROM workspaces WHERE id = $1`, [s.workspaceId]);
  slug = rows[0].slug;
  const res = await fetch(`${server.url}/v1/batch`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: basic(s.writeKey) },
    body: JSON.stringify({
      batch: [
        { type: "page", messageId: "p1", anonymousId: "anon-9", name: "Pricing", timestamp: at(1) },
        { type: "identify", messageId: "i1", anonymousId: "anon-9", userId: "u-9", traits: { email: "Ann@X.com", name: "Ann", plan: "pro", age: 41 }, timestamp: at(2) },
        { type: "track", messageId: "t1", userId: "u-9", event: "Order Completed", properties: { total: 42 }, timestamp: at(3) },
        { type: "track", messageId: "t2", userId: "u-9", event: "Cart Viewed", timestamp: at(4) },
        { type: "group", messageId: "g1", userId: "u-9", groupId: "acme", traits: { name: "Acme", employees: 50 }, timestamp: at(5) },
        { type: "group", messageId: "g2", userId: "u-7", groupId: "acme", timestamp: at(6) },
      ],
    }),
  });
  expect(res.status).toBe(200);
  while (await processPipelineBatch()) {
    // drain
  }
  token = (await createApiToken({ workspaceId: s.workspaceId, name: "Support widget" })).token;
});

describe("Profile API", () => {
  it("reads traits by any identifier, normalised like ingestion, with lineage on request", async () => {
    const r = await get(users("email:%20ann%40x.COM%20", "traits"));
    expect(r.status).toBe(200);
    expect(r.headers.get("request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.json).toEqual({ traits: { age: 41, email: "Ann@X.com", name: "Ann", plan: "pro" }, cursor: { url: "", has_more: false, next: "" } });
    expect((await get(users("user_id:u-9", "traits", "?include=plan,name"))).json.traits).toEqual({ name: "Ann", plan: "pro" });
    const verbose = await get(users("anonymous_id:anon-9", "traits", "?verbose=true&include=plan"));
    expect(verbose.json.traits).toEqual({ plan: { value: "pro", source_id: s.sourceId, updated_at: new Date(at(2)).toISOString() } });
    // No segment or computed trait yet: those classes are empty (see "serves audiences and computed traits").
    expect((await get(users("user_id:u-9", "traits", "?class=audience"))).json.traits).toEqual({});
  });

  it("pages traits and lists with a cursor", async () => {
    const first = await get(users("user_id:u-9", "traits", "?limit=3"));
    expect(Object.keys(first.json.traits)).toEqual(["age", "email", "name"]);
    expect(first.json.cursor).toMatchObject({ has_more: true, next: expect.any(String), url: expect.stringContaining("next=") });
    const second = await get(first.json.cursor.url);
    expect(second.json).toEqual({ traits: { plan: "pro" }, cursor: { url: "", has_more: false, next: "" } });
  });

  it("lists external ids, events newest first, metadata and account links", async () => {
    const ids = await get(users("user_id:u-9", "external_ids"));
    expect(ids.json.data.map((d: { type: string; id: string }) => `${d.type}:${d.id}`)).toEqual(["anonymous_id:anon-9", "user_id:u-9", "email:ann@x.com"]);
    expect(ids.json.data[0]).toMatchObject({ collection: "users", encoding: "none", source_id: s.sourceId });

    const events = await get(users("user_id:u-9", "events", "?limit=2"));
    expect(events.json.data.map((e: { message_id: string }) => e.message_id)).toEqual(["g1", "t2"]);
    const rest = await get(events.json.cursor.url);
    expect(rest.json.data.map((e: { message_id: string }) => e.message_id)).toEqual(["t1", "i1"]);
    const last = await get(rest.json.cursor.url);
    expect(last.json).toMatchObject({ data: [{ message_id: "p1", type: "page" }], cursor: { has_more: false } });
    expect(rest.json.data[0]).toMatchObject({ type: "track", event: "Order Completed", properties: { total: 42 }, source_id: s.sourceId, timestamp: new Date(at(3)).toISOString() });
    expect((await get(users("user_id:u-9", "events", "?include=Order%20Completed"))).json.data).toHaveLength(1);
    expect((await get(users("user_id:u-9", "events", `?exclude=Order%20Completed,Cart%20Viewed&end=${encodeURIComponent(at(2))}`))).json.data.map((e: { message_id: string }) => e.message_id)).toEqual(["i1", "p1"]);

    const meta = await get(users("user_id:u-9", "metadata"));
    expect(meta.json.metadata).toMatchObject({ first_message_at: new Date(at(1)).toISOString(), last_message_at: new Date(at(5)).toISOString(), last_source_id: s.sourceId, last_message_id: "g1" });

    const links = await get(users("user_id:u-9", "links"));
    expect(links.json.data).toEqual([{ to_collection: "accounts", external_ids: [expect.objectContaining({ id: "acme", type: "group_id", collection: "accounts" })] }]);
    const account = await get(`/v1/spaces/${s.workspaceId}/collections/accounts/profiles/group_id:acme/traits`);
    expect(account.json.traits).toEqual({ employees: 50, name: "Acme" });
    const members = await get(`/v1/spaces/${slug}/collections/accounts/profiles/group_id:acme/links`);
    // Each member with its own external ids (read for the whole page at once).
    const memberIds = members.json.data.map((d: { to_collection: string; external_ids: { type: string; id: string }[] }) => `${d.to_collection} ${d.external_ids.map((x) => `${x.type}:${x.id}`).sort().join(",")}`);
    expect(memberIds.sort()).toEqual(["users anonymous_id:anon-9,email:ann@x.com,user_id:u-9", "users user_id:u-7"]);

    const { rows } = await getPool().query(`SELECT profile_id FROM identities WHERE workspace_id = $1 AND type = 'user_id' AND value = 'u-9'`, [s.workspaceId]);
    expect((await get(users(`profile_id:${rows[0].profile_id}`, "traits"))).json.traits.plan).toBe("pro");
  });

  it("answers the contract's errors", async () => {
    expect(await get(users("user_id:u-9", "traits"), null)).toMatchObject({ status: 401, json: { error: { code: "authentication_error" } } });
    expect((await get(users("user_id:u-9", "traits"), "tsr_wrong")).status).toBe(401);
    expect(await get(users("user_id:nobody", "traits"))).toMatchObject({ status: 404, json: { error: { code: "not_found", message: "Profile was not found." } } });
    expect(await get(users("email:not-an-email", "traits"))).toMatchObject({ status: 400, json: { error: { code: "validation_error", message: "email is not an email address" } } });
    expect((await get(users("no-colon", "traits"))).status).toBe(400);
    expect((await get(users("user_id:u-9", "traits", "?limit=500"))).json.error.code).toBe("validation_error");
    expect((await get(users("user_id:u-9", "events", "?start=yesterday"))).status).toBe(400);
    expect((await get(users("user_id:u-9", "whatever"))).status).toBe(404);
    const other = await createTestSource();
    expect((await get(`/v1/spaces/${other.workspaceId}/collections/users/profiles/user_id:u-9/traits`)).status).toBe(404);

    const slow = await createApiToken({ workspaceId: s.workspaceId, name: "Slow", rateLimitPerSecond: 2 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push(await get(users("user_id:u-9", "traits"), slow.token));
    expect(statuses.map((r) => r.status)).toEqual([200, 200, 429, 429]);
    expect(statuses[2].json.error.code).toBe("rate_limit_error");
    expect(Number(statuses[2].headers.get("retry-after"))).toBeGreaterThanOrEqual(1);

    await revokeApiToken({ workspaceId: s.workspaceId, tokenId: slow.id });
    forgetApiTokens();
    expect((await get(users("user_id:u-9", "traits"), slow.token)).status).toBe(401);
  });

  it("serves audiences and computed traits as traits: by class, or after the profile's own traits", async () => {
    const { rows: [p] } = await getPool().query(`SELECT profile_id FROM identities WHERE workspace_id = $1 AND type = 'user_id' AND value = 'u-9'`, [s.workspaceId]);
    const ws = s.workspaceId;
    const entered = new Date(Date.UTC(2026, 10, 3, 8));
    const valued = new Date(Date.UTC(2026, 10, 4, 9));
    const [vip, churn, orders] = [randomUUID(), randomUUID(), randomUUID()];
    const rule = JSON.stringify({ kind: "group", op: "and", negate: false, children: [{ kind: "trait", key: "plan", type: "string", op: "equals", value: "pro" }] });
    await getPool().query(`INSERT INTO segments (workspace_id, id, key, name, rule) VALUES ($1, $2, 'vip', 'VIP', $4), ($1, $3, 'churn_risk', 'Churn risk', $4)`, [ws, vip, churn, rule]);
    await getPool().query(`INSERT INTO segment_memberships (workspace_id, segment_id, profile_id, entered_at) VALUES ($1, $2, $3, $4)`, [ws, vip, p.profile_id, entered]);
    await getPool().query(
      `INSERT INTO computed_traits (workspace_id, id, key, name, definition) VALUES ($1, $2, 'orders_30d', 'Orders in the last 30 days', $3)`,
      [ws, orders, JSON.stringify({ fn: "count", event: "Order Completed", window: { type: "last_days", days: 30 } })],
    );
    await getPool().query(`INSERT INTO computed_trait_values (workspace_id, computed_trait_id, profile_id, value, updated_at) VALUES ($1, $2, $3, '1', $4)`, [ws, orders, p.profile_id, valued]);

    expect((await get(users("user_id:u-9", "traits", "?class=audience"))).json).toEqual({ traits: { vip: true }, cursor: { url: "", has_more: false, next: "" } });
    expect((await get(users("user_id:u-9", "traits", "?class=computed_trait"))).json.traits).toEqual({ orders_30d: 1 });
    expect((await get(users("user_id:u-9", "traits", "?class=audience&verbose=true"))).json.traits).toEqual({ vip: { value: true, source_id: null, updated_at: entered.toISOString() } });
    expect((await get(users("user_id:u-9", "traits", "?class=computed_trait&verbose=true"))).json.traits).toEqual({ orders_30d: { value: 1, source_id: null, updated_at: valued.toISOString() } });

    // Without a class: traits first, then computed traits, then audiences; include and paging work across them.
    const all = await get(users("user_id:u-9", "traits"));
    expect(Object.entries(all.json.traits)).toEqual([["age", 41], ["email", "Ann@X.com"], ["name", "Ann"], ["plan", "pro"], ["orders_30d", 1], ["vip", true]]);
    expect((await get(users("user_id:u-9", "traits", "?include=vip,plan,orders_30d"))).json.traits).toEqual({ plan: "pro", orders_30d: 1, vip: true });
    const first = await get(users("user_id:u-9", "traits", "?limit=3"));
    const second = await get(first.json.cursor.url);
    expect(Object.keys(second.json.traits)).toEqual(["plan", "orders_30d", "vip"]);
    expect(second.json.cursor.has_more).toBe(false);
    const pages = await get(users("user_id:u-9", "traits", "?limit=5&verbose=true"));
    expect(Object.keys(pages.json.traits)).toEqual(["age", "email", "name", "plan", "orders_30d"]);
    expect(pages.json.traits.plan).toEqual({ value: "pro", source_id: s.sourceId, updated_at: new Date(at(2)).toISOString() });
    expect((await get(pages.json.cursor.url)).json.traits).toEqual({ vip: { value: true, source_id: null, updated_at: entered.toISOString() } });
  });
});
