// The segments list and one segment against a real PostgreSQL: sorting, search, paging, deleted
// references flagged, the rule in words with the names of what it refers to, and tenancy.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closePool, getPool } from "@/lib/db/pool";
import { getSegment } from "@/lib/segments/get-segment";
import { listSegments, parseSegmentListParams } from "@/lib/segments/list-segments";
import { insertComputedTrait, insertSegment, SIMPLE_RULE } from "@/lib/segments/segment-test-data";

let A: string;
let B: string;
const ids: Record<string, string> = {};

async function workspace(): Promise<string> {
  const slug = `seg-${randomBytes(4).toString("hex")}`;
  const { rows } = await getPool().query<{ id: string }>(`INSERT INTO workspaces (id, slug, name, created_at, updated_at) VALUES (gen_random_uuid(), $1, $1, now(), now()) RETURNING id::text`, [slug]);
  return rows[0].id;
}

const group = (...children: unknown[]) => ({ kind: "group", op: "and", negate: false, children });
const day = (d: number) => new Date(Date.UTC(2026, 10, d, 12));

beforeAll(async () => {
  A = await workspace();
  B = await workspace();
  const { rows } = await getPool().query<{ id: string }>(`INSERT INTO users (id, email, name, password_hash, created_at, updated_at) VALUES (gen_random_uuid(), $1, 'Mia Marketer', 'x', now(), now()) RETURNING id::text`, [`mia-${randomBytes(3).toString("hex")}@example.com`]);
  ids.ltv = await insertComputedTrait(A, "Lifetime value", "ltv");
  const gone = await insertComputedTrait(A, "Soon deleted", "soon_deleted");
  ids.buyers = await insertSegment(A, { name: "Buyers", rule: SIMPLE_RULE, memberCount: 120, evaluatedAt: day(3), updatedAt: day(2) });
  ids.doomed = await insertSegment(A, { name: "Doomed", rule: SIMPLE_RULE, memberCount: 5, updatedAt: day(1) });
  ids.vip = await insertSegment(A, {
    name: "VIP buyers",
    description: "Best customers",
    rule: group({ kind: "segment", segmentId: ids.buyers, member: true }, { kind: "computed_trait", computedTraitId: ids.ltv, type: "number", op: "gt", value: 500 }),
    memberCount: 12,
    evaluatedAt: day(4),
    updatedAt: day(5),
    updatedById: rows[0].id,
  });
  ids.broken = await insertSegment(A, {
    name: "alpha lost",
    rule: group({ kind: "segment", segmentId: ids.doomed, member: false }, { kind: "computed_trait", computedTraitId: gone, type: "number", op: "gt", value: 1 }),
    memberCount: 0,
    lastError: "Segment Doomed no longer exists.",
    updatedAt: day(6),
  });
  await getPool().query(`DELETE FROM segments WHERE workspace_id = $1 AND id = $2`, [A, ids.doomed]);
  await getPool().query(`DELETE FROM computed_traits WHERE workspace_id = $1 AND id = $2`, [A, gone]);
  ids.other = await insertSegment(B, { name: "Buyers", rule: SIMPLE_RULE, memberCount: 99 });
});

afterAll(() => closePool());

describe("listSegments", () => {
  it("lists the workspace's segments by name with their size, dates, errors and broken references", async () => {
    const list = await listSegments({ workspaceId: A });
    expect(list.rows.map((r) => r.name)).toEqual(["alpha lost", "Buyers", "VIP buyers"]);
    expect(list).toMatchObject({ total: 3, hasMore: false, sort: "name", direction: "asc" });
    const [broken, buyers, vip] = list.rows;
    expect(broken).toMatchObject({ id: ids.broken, brokenReference: true, lastError: "Segment Doomed no longer exists.", memberCount: 0, evaluatedAt: null });
    expect(buyers).toMatchObject({ id: ids.buyers, brokenReference: false, memberCount: 120, lastError: null });
    expect(buyers.evaluatedAt?.toISOString()).toBe(day(3).toISOString());
    expect(vip).toMatchObject({ brokenReference: false, description: "Best customers" });
    expect(vip.updatedAt.toISOString()).toBe(day(5).toISOString());
  });

  it("sorts by size, last evaluation and last change, searches names and pages", async () => {
    const names = async (o: Parameters<typeof listSegments>[0]) => (await listSegments(o)).rows.map((r) => r.name);
    expect(await names({ workspaceId: A, sort: "size" })).toEqual(["Buyers", "VIP buyers", "alpha lost"]);
    expect(await names({ workspaceId: A, sort: "size", direction: "asc" })).toEqual(["alpha lost", "VIP buyers", "Buyers"]);
    expect(await names({ workspaceId: A, sort: "evaluated" })).toEqual(["VIP buyers", "Buyers", "alpha lost"]);
    expect(await names({ workspaceId: A, sort: "updated" })).toEqual(["alpha lost", "VIP buyers", "Buyers"]);
    expect(await names({ workspaceId: A, query: "BUY" })).toEqual(["Buyers", "VIP buyers"]);
    expect(await names({ workspaceId: A, query: "%" })).toEqual([]);
    const first = await listSegments({ workspaceId: A, pageSize: 2 });
    expect(first).toMatchObject({ total: 3, hasMore: true });
    expect(await names({ workspaceId: A, pageSize: 2, page: 2 })).toEqual(["VIP buyers"]);
  });

  it("never shows another workspace's segments", async () => {
    const list = await listSegments({ workspaceId: B });
    expect(list.rows.map((r) => r.id)).toEqual([ids.other]);
  });

  it("reads its state from URL params", () => {
    expect(parseSegmentListParams({})).toEqual({ query: "", sort: "name", direction: "asc", page: 1 });
    expect(parseSegmentListParams({ sort: "size", q: " vip ", page: "2" })).toEqual({ query: "vip", sort: "size", direction: "desc", page: 2 });
    expect(parseSegmentListParams({ sort: "nope", dir: "sideways" })).toMatchObject({ sort: "name", direction: "asc" });
  });
});

describe("getSegment", () => {
  it("gives the rule, the rule in words with the names it refers to, and who changed it", async () => {
    const vip = await getSegment({ workspaceId: A, segmentId: ids.vip });
    expect(vip).toMatchObject({
      name: "VIP buyers",
      version: 1,
      memberCount: 12,
      ruleProblems: [],
      ruleInWords: "People who are in Buyers and whose Lifetime value is more than 500",
      referencedSegments: { [ids.buyers]: "Buyers" },
      referencedComputedTraits: { [ids.ltv]: "Lifetime value" },
      deletedReferences: { segmentIds: [], computedTraitIds: [] },
      updatedByName: "Mia Marketer",
    });
    expect(vip?.parsedRule?.children).toHaveLength(2);
  });

  it("flags references to deleted segments and computed traits", async () => {
    const broken = await getSegment({ workspaceId: A, segmentId: ids.broken });
    expect(broken?.ruleInWords).toBe("People who are not in a deleted segment and whose computed trait (deleted) is more than 1");
    expect(broken?.deletedReferences.segmentIds).toEqual([ids.doomed]);
    expect(broken?.deletedReferences.computedTraitIds).toHaveLength(1);
  });

  it("reports a stored rule that no longer parses instead of failing", async () => {
    const id = await insertSegment(A, { name: "Old format", rule: { kind: "group", op: "xor", children: [] } });
    const old = await getSegment({ workspaceId: A, segmentId: id });
    expect(old?.parsedRule).toBeNull();
    expect(old?.ruleProblems.length).toBeGreaterThan(0);
    await getPool().query(`DELETE FROM segments WHERE workspace_id = $1 AND id = $2`, [A, id]);
  });

  it("finds nothing in another workspace, or for an id that is not one", async () => {
    expect(await getSegment({ workspaceId: B, segmentId: ids.vip })).toBeNull();
    expect(await getSegment({ workspaceId: A, segmentId: "not-a-uuid" })).toBeNull();
    expect((await getSegment({ workspaceId: B, segmentId: ids.other }))?.name).toBe("Buyers");
  });
});
