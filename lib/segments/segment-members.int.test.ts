// A segment's members against a real PostgreSQL, on profiles the real pipeline built from events:
// paging, sorting by entered / name / last seen, search by name or email prefix (masked readers:
// whole email only), the CSV export of everyone, and tenancy.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/pool";
import { createTestSource, trackingServerForTests } from "@/lib/ingest/test-tracking-server";
import { drainPipeline } from "@/lib/pipeline/process-pipeline-batch";
import { listSegmentMembers, parseMemberParams, segmentMembersCsv, type SegmentMembersOptions } from "@/lib/segments/segment-members";
import { addMembers, insertSegment, SIMPLE_RULE } from "@/lib/segments/segment-test-data";

const server = trackingServerForTests();
const q = async <T = Record<string, unknown>>(sql: string, args: unknown[] = []) => (await getPool().query(sql, args)).rows as T[];
const at = (minute: number) => new Date(Date.UTC(2026, 10, 1, 10, minute)).toISOString();

let A: Awaited<ReturnType<typeof createTestSource>>;
let B: Awaited<ReturnType<typeof createTestSource>>;
let seg: string;
let segB: string;
const ids: Record<string, string> = {};

async function owner(workspaceId: string, userId: string): Promise<string> {
  const [row] = await q<{ profile_id: string }>(`SELECT profile_id::text FROM identities WHERE workspace_id = $1 AND type = 'user_id' AND value = $2`, [workspaceId, userId]);
  return row.profile_id;
}

beforeAll(async () => {
  A = await createTestSource();
  B = await createTestSource();
  const people = [
    { userId: "u-ann", traits: { name: "Ann Example", email: "ann@example.com" }, minute: 5 },
    { userId: "u-bob", traits: { name: "Bob Builder", email: "bob@builder.io" }, minute: 3 },
    { userId: "u-cy", traits: { email: "cy@example.com" }, minute: 9 },
    { userId: "u-dan", traits: { name: "Dan Outside", email: "dan@example.com" }, minute: 1 },
    ...Array.from({ length: 30 }, (_, i) => ({ userId: `u-p${String(i).padStart(2, "0")}`, traits: { name: `Pager ${String(i).padStart(2, "0")}` }, minute: 20 + i })),
  ];
  await server.send(A.writeKey, people.map((p) => ({ type: "identify", messageId: p.userId, userId: p.userId, traits: p.traits, timestamp: at(p.minute) })));
  await server.send(B.writeKey, [{ type: "identify", messageId: "b-ann", userId: "u-ann", traits: { name: "Ann Other", email: "ann@example.com" }, timestamp: at(1) }]);
  await drainPipeline();
  for (const p of people) ids[p.userId] = await owner(A.workspaceId, p.userId);

  seg = await insertSegment(A.workspaceId, { name: "Members", rule: SIMPLE_RULE });
  const entered = (d: number) => new Date(Date.UTC(2026, 10, d));
  await addMembers(A.workspaceId, seg, [
    { profileId: ids["u-ann"], enteredAt: entered(3) },
    { profileId: ids["u-bob"], enteredAt: entered(1) },
    { profileId: ids["u-cy"], enteredAt: entered(2) },
    ...Array.from({ length: 30 }, (_, i) => ({ profileId: ids[`u-p${String(i).padStart(2, "0")}`], enteredAt: entered(4 + (i % 5)) })),
  ]);
  segB = await insertSegment(B.workspaceId, { name: "Members", rule: SIMPLE_RULE });
  await addMembers(B.workspaceId, segB, [{ profileId: await owner(B.workspaceId, "u-ann"), enteredAt: entered(1) }]);
});

afterAll(async () => {
  // (the tracking server helper closes the pool)
});

const list = (o: Partial<SegmentMembersOptions> = {}) => listSegmentMembers({ workspaceId: A.workspaceId, segmentId: seg, canSeePii: true, ...o });
const names = async (o: Partial<SegmentMembersOptions> = {}) => (await list(o)).rows.map((r) => r.displayName);

describe("listSegmentMembers", () => {
  it("pages members, most recently entered first, with name, email and dates", async () => {
    const first = await list({ pageSize: 10 });
    expect(first).toMatchObject({ total: 33, totalCapped: false, hasMore: true, page: 1, sort: "entered", direction: "desc" });
    expect(first.rows).toHaveLength(10);
    const all = [first, await list({ pageSize: 10, page: 2 }), await list({ pageSize: 10, page: 3 }), await list({ pageSize: 10, page: 4 })].flatMap((p) => p.rows);
    expect(all).toHaveLength(33);
    expect(new Set(all.map((r) => r.id)).size).toBe(33);
    expect(all.map((r) => r.id)).not.toContain(ids["u-dan"]);
    expect(all.slice(-3).map((r) => r.displayName)).toEqual(["Ann Example", "cy@example.com", "Bob Builder"]);
    const ann = all.find((r) => r.id === ids["u-ann"])!;
    expect(ann).toMatchObject({ displayName: "Ann Example", named: true, email: "ann@example.com" });
    expect(ann.enteredAt.toISOString()).toBe("2026-11-03T00:00:00.000Z");
    expect(ann.lastSeenAt.toISOString()).toBe(at(5));
  });

  it("sorts by name (unnamed last) and by last seen", async () => {
    expect((await names({ sort: "name", pageSize: 3 }))).toEqual(["Ann Example", "Bob Builder", "Pager 00"]);
    expect((await names({ sort: "name", pageSize: 100 })).at(-1)).toBe("cy@example.com");
    expect(await names({ sort: "last_seen", pageSize: 2 })).toEqual(["Pager 29", "Pager 28"]);
    expect(await names({ sort: "last_seen", direction: "asc", pageSize: 3 })).toEqual(["Bob Builder", "Ann Example", "cy@example.com"]);
  });

  it("searches by the start of a name or an email, members only", async () => {
    expect(await names({ query: "ann" })).toEqual(["Ann Example"]);
    expect(await names({ query: "BUILDER" })).toEqual(["Bob Builder"]);
    expect(await names({ query: "cy@ex" })).toEqual(["cy@example.com"]);
    expect(await names({ query: "dan" })).toEqual([]);
    expect(await names({ query: "pager 1", sort: "name" })).toEqual(Array.from({ length: 10 }, (_, i) => `Pager 1${i}`));
    expect((await list({ query: "pager" })).total).toBe(30);
    expect(await names({ query: "%" })).toEqual([]);
  });

  it("masks emails for readers without PII access, who find people by their whole email only", async () => {
    const masked = await list({ canSeePii: false, query: "ann@example.com" });
    expect(masked.rows.map((r) => [r.displayName, r.email])).toEqual([["Ann Example", "a•••@example.com"]]);
    expect((await list({ canSeePii: false, query: "ann@" })).rows).toEqual([]);
    expect(await names({ canSeePii: false, query: "bob" })).toEqual(["Bob Builder"]);
    expect((await list({ canSeePii: false, query: "cy@example.com" })).rows[0].displayName).toBe("c•••@example.com");
  });

  it("never shows another workspace's members", async () => {
    expect(await names({ workspaceId: B.workspaceId })).toEqual([]);
    expect(await names({ workspaceId: B.workspaceId, segmentId: segB })).toEqual(["Ann Other"]);
    expect(await names({ segmentId: segB })).toEqual([]);
  });

  it("reads its state from URL params", () => {
    expect(parseMemberParams({})).toEqual({ query: "", sort: "entered", direction: "desc", page: 1 });
    expect(parseMemberParams({ sort: "name", q: "ann", page: "3" })).toEqual({ query: "ann", sort: "name", direction: "asc", page: 3 });
  });
});

describe("segmentMembersCsv", () => {
  it("exports every member across pages, emails masked unless the reader may see them", async () => {
    let text = "";
    for await (const piece of segmentMembersCsv({ workspaceId: A.workspaceId, segmentId: seg, canSeePii: true, pageSize: 7 })) text += piece;
    const lines = text.trimEnd().split("\r\n");
    expect(lines[0]).toBe("profile_id,name,email,entered_at");
    expect(lines).toHaveLength(34);
    expect(new Set(lines.slice(1).map((l) => l.split(",")[0])).size).toBe(33);
    expect(lines).toContain(`${ids["u-ann"]},Ann Example,ann@example.com,2026-11-03T00:00:00.000Z`);
    expect(lines).toContain(`${ids["u-cy"]},,cy@example.com,2026-11-02T00:00:00.000Z`);

    let masked = "";
    for await (const piece of segmentMembersCsv({ workspaceId: A.workspaceId, segmentId: seg })) masked += piece;
    expect(masked).toContain(`${ids["u-ann"]},Ann Example,a•••@example.com,`);
    expect(masked).not.toContain("ann@example.com");

    let other = "";
    for await (const piece of segmentMembersCsv({ workspaceId: B.workspaceId, segmentId: seg })) other += piece;
    expect(other).toBe("profile_id,name,email,entered_at\r\n");
  });
});
