// The profile explorer's search against a real PostgreSQL, on profiles the real pipeline built from
// events sent through the tracking API: identifier and name prefixes, phones in national format,
// paging and sorting, merged-away profiles, people vs accounts, masking and tenancy.
import { beforeAll, describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/pool";
import { createTestSource, trackingServerForTests } from "@/lib/ingest/test-tracking-server";
import { drainPipeline } from "@/lib/pipeline/process-pipeline-batch";
import { MAX_PAGE_SIZE, parseProfileSearchParams, searchProfiles, type SearchProfilesOptions } from "@/lib/profiles/search-profiles";

const server = trackingServerForTests();

const send = (writeKey: string, batch: Record<string, unknown>[]) => server.send(writeKey, batch);

const drain = () => drainPipeline();

const q = async <T = Record<string, unknown>>(sql: string, args: unknown[] = []) => (await getPool().query(sql, args)).rows as T[];

/** The live profile owning an identifier. */
async function owner(workspaceId: string, type: string, value: string): Promise<string> {
  const [row] = await q<{ profile_id: string }>(`SELECT profile_id FROM identities WHERE workspace_id = $1 AND type = $2 AND value = $3`, [workspaceId, type, value]);
  return row.profile_id;
}

const at = (minute: number) => new Date(Date.UTC(2026, 10, 1, 10, minute)).toISOString();
const PAGERS = 30;

let A: Awaited<ReturnType<typeof createTestSource>>;
let B: Awaited<ReturnType<typeof createTestSource>>;
const ids: Record<string, string> = {};

const search = (o: Omit<SearchProfilesOptions, "workspaceId"> & { workspaceId?: string }) => searchProfiles({ workspaceId: A.workspaceId, canSeePii: true, ...o });
const names = async (o: Parameters<typeof search>[0]) => (await search(o)).rows.map((r) => r.displayName);

beforeAll(async () => {
  A = await createTestSource();
  B = await createTestSource();
  // Workspace A writes phone numbers the Swiss way.
  await q(`INSERT INTO identity_settings (workspace_id, settings, updated_at) VALUES ($1, $2, now())`, [A.workspaceId, { phoneRegion: "CH" }]);

  await send(A.writeKey, [
    { type: "identify", messageId: "ann-1", userId: "U-Ann-1", traits: { name: "Ann Example", email: "Ann.Smith@Example.COM", phone: "079 123 45 67" }, timestamp: at(1) },
    { type: "track", messageId: "ann-2", userId: "U-Ann-1", event: "Order Completed", timestamp: at(50) },
    { type: "identify", messageId: "bob-1", userId: "u-bob", traits: { email: "bob@example.org" }, timestamp: at(2) },
    { type: "page", messageId: "anon-1", anonymousId: "anon-zz", name: "Home", timestamp: at(3) },
    // Two profiles that a later event links: one is merged away.
    { type: "identify", messageId: "m-1", anonymousId: "web-m", traits: { email: "merge@x.io" }, timestamp: at(4) },
    { type: "identify", messageId: "m-2", anonymousId: "crm-m", traits: { phone: "+41 78 000 00 01", name: "Mia Merge" }, timestamp: at(5) },
    { type: "group", messageId: "g-1", userId: "u-bob", groupId: "acme-corp", traits: { name: "Acme Corp" }, timestamp: at(6) },
    // Special characters must be searched literally, never as LIKE wildcards.
    { type: "identify", messageId: "odd-1", userId: "100%_sure", timestamp: at(7) },
  ]);
  // Pager people: pager-01 … pager-30, seen in that order, with 1–5 events each.
  const pagers: Record<string, unknown>[] = [];
  for (let i = 1; i <= PAGERS; i++) {
    const userId = `pager-${String(i).padStart(2, "0")}`;
    for (let e = 0; e <= (i * 7) % 5; e++) pagers.push({ type: "track", messageId: `${userId}-${e}`, userId, event: "Viewed", timestamp: at(100 + i * 10 + e) });
  }
  await send(A.writeKey, pagers);
  await drain();
  await send(A.writeKey, [{ type: "identify", messageId: "m-3", userId: "mia", traits: { email: "merge@x.io", phone: "+41780000001" }, timestamp: at(8) }]);

  // Workspace B has a person with the same email and a similar name.
  await send(B.writeKey, [{ type: "identify", messageId: "b-ann", userId: "U-Ann-1", traits: { name: "Ann Other", email: "ann.smith@example.com" }, timestamp: at(1) }]);
  await drain();

  ids.ann = await owner(A.workspaceId, "user_id", "U-Ann-1");
  ids.bob = await owner(A.workspaceId, "user_id", "u-bob");
  ids.mia = await owner(A.workspaceId, "user_id", "mia");
  ids.acme = await owner(A.workspaceId, "group_id", "acme-corp");
  ids.annB = await owner(B.workspaceId, "user_id", "U-Ann-1");
});

describe("searchProfiles", () => {
  it("finds a person by an email prefix, whatever its case, with their details", async () => {
    for (const query of ["ann.smith@", "ANN.Sm", "  Ann.Smith@Example.com  "]) {
      const result = await search({ query });
      expect(result.rows.map((r) => r.id), query).toEqual([ids.ann]);
    }
    const { rows, total, totalCapped } = await search({ query: "ann.smith" });
    expect({ total, totalCapped }).toEqual({ total: 1, totalCapped: false });
    expect(rows[0]).toMatchObject({
      displayName: "Ann Example",
      named: true,
      email: "ann.smith@example.com",
      phone: "+41791234567",
      externalId: "U-Ann-1",
      eventCount: 2,
      sourceCount: 1,
      sourceNames: ["Test source"],
      identifierCount: 3,
    });
    expect(rows[0].firstSeenAt.toISOString()).toBe(at(1));
    expect(rows[0].lastSeenAt.toISOString()).toBe(at(50));
  });

  it("finds a person by user id, anonymous id and name prefix", async () => {
    expect((await search({ query: "U-Ann" })).rows.map((r) => r.id)).toEqual([ids.ann]);
    expect((await search({ query: "u-bo" })).rows.map((r) => r.id)).toEqual([ids.bob]);
    expect(await names({ query: "anon-z" })).toEqual(["Anonymous visitor"]);
    expect((await search({ query: "Ann Ex" })).rows.map((r) => r.id)).toEqual([ids.ann]);
    // A surname, or surname then first name, finds the person too; a word in the middle does not.
    expect((await search({ query: "examp" })).rows.map((r) => r.id)).toEqual([ids.ann]);
    expect((await search({ query: "Example A" })).rows.map((r) => r.id)).toEqual([ids.ann]);
    expect((await search({ query: "xample" })).rows).toEqual([]);
    expect((await search({ query: "ann" })).rows.map((r) => r.id)).toEqual([ids.ann]);
  });

  it("finds a phone number written in the workspace's national format, complete or partial", async () => {
    for (const query of ["079 123 45 67", "0791234567", "+41 79 123 45 67", "079 123", "+4179123"]) {
      expect((await search({ query })).rows.map((r) => r.id), query).toEqual([ids.ann]);
    }
  });

  it("reports no match, and searches wildcard characters literally", async () => {
    expect(await search({ query: "zzz-nobody" })).toMatchObject({ rows: [], total: 0, totalCapped: false, hasMore: false });
    expect(await names({ query: "%" })).toEqual([]);
    expect(await names({ query: "_" })).toEqual([]);
    expect(await names({ query: "100%_" })).toEqual(["100%_sure"]);
    expect(await names({ query: "100%x" })).toEqual([]);
  });

  it("pages and sorts the whole list and search results", async () => {
    const first = await search({ query: "pager-", pageSize: 10 });
    expect(first).toMatchObject({ total: PAGERS, totalCapped: false, hasMore: true, page: 1, pageSize: 10, sort: "last_seen", direction: "desc" });
    expect(first.rows.map((r) => r.displayName)).toEqual(Array.from({ length: 10 }, (_, i) => `pager-${30 - i}`));
    const pages = [first, await search({ query: "pager-", pageSize: 10, page: 2 }), await search({ query: "pager-", pageSize: 10, page: 3 })];
    expect(pages.map((p) => p.hasMore)).toEqual([true, true, false]);
    const all = pages.flatMap((p) => p.rows.map((r) => r.displayName));
    expect(all).toEqual(Array.from({ length: PAGERS }, (_, i) => `pager-${String(PAGERS - i).padStart(2, "0")}`));
    expect((await search({ query: "pager-", pageSize: 10, page: 4 })).rows).toEqual([]);

    const oldestFirst = await names({ query: "pager-", sort: "last_seen", direction: "asc", pageSize: 3 });
    expect(oldestFirst).toEqual(["pager-01", "pager-02", "pager-03"]);
    const byFirstSeen = await names({ query: "pager-", sort: "first_seen", direction: "desc", pageSize: 2 });
    expect(byFirstSeen).toEqual(["pager-30", "pager-29"]);

    const byEvents = (await search({ query: "pager-", sort: "events", pageSize: 100 })).rows;
    const counts = byEvents.map((r) => r.eventCount);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(counts[0]).toBe(5);
    expect(counts.at(-1)).toBe(1);
    const fewest = (await search({ query: "pager-", sort: "events", direction: "asc", pageSize: 1 })).rows[0];
    expect(fewest.eventCount).toBe(1);

    // Browsing without a query: every live person, most recently seen first, paged.
    const browse = await search({ pageSize: 5 });
    // 30 pagers, Ann, Bob, the anonymous visitor, Mia (two profiles merged into one), 100%_sure.
    expect(browse).toMatchObject({ total: PAGERS + 5, totalCapped: false, hasMore: true });
    expect(browse.rows.map((r) => r.displayName)).toEqual(["pager-30", "pager-29", "pager-28", "pager-27", "pager-26"]);
    const lastPage = await search({ pageSize: 5, page: 7 });
    expect(lastPage.rows).toHaveLength(5);
    expect(lastPage.hasMore).toBe(false);
    expect(lastPage.rows.at(-1)!.displayName).toBe("Anonymous visitor");
    expect((await search({ pageSize: 5, page: 8 })).rows).toEqual([]);
    // Browsing by event count (profile_activity's index) and by first seen (the profiles' own).
    const busiest = (await search({ sort: "events", pageSize: 100 })).rows;
    expect(busiest).toHaveLength(PAGERS + 5);
    expect(busiest.map((r) => r.eventCount)).toEqual([...busiest.map((r) => r.eventCount)].sort((a, b) => b - a));
    expect(busiest[0].eventCount).toBe(5);
    expect((await search({ sort: "events", direction: "asc", pageSize: 1 })).rows[0].eventCount).toBe(1);
    expect(await names({ sort: "first_seen", direction: "asc", pageSize: 1 })).toEqual(["Ann Example"]);
    expect(await names({ sort: "first_seen", direction: "desc", pageSize: 1 })).toEqual(["pager-30"]);
    expect((await search({ pageSize: 1000 })).pageSize).toBe(MAX_PAGE_SIZE);
  });

  it("never lists profiles that were merged away", async () => {
    const merged = await q<{ id: string }>(`SELECT id FROM profiles WHERE workspace_id = $1 AND merged_into_id IS NOT NULL`, [A.workspaceId]);
    expect(merged).toHaveLength(1);
    const everyone = (await search({ pageSize: 100 })).rows.map((r) => r.id);
    expect(everyone).not.toContain(merged[0].id);
    expect(everyone).toContain(ids.mia);
    // Every identifier that once belonged to either profile leads to the survivor only.
    for (const query of ["merge@", "web-m", "crm-m", "078 000 00 01", "Mia"]) {
      expect((await search({ query })).rows.map((r) => r.id), query).toEqual([ids.mia]);
    }
    expect((await search({ query: "merge@" })).rows[0]).toMatchObject({ displayName: "Mia Merge", email: "merge@x.io", phone: "+41780000001", externalId: "mia" });
  });

  it("keeps accounts and people apart", async () => {
    const accounts = await search({ kind: "account" });
    expect(accounts.rows.map((r) => r.id)).toEqual([ids.acme]);
    expect(accounts.rows[0]).toMatchObject({ displayName: "Acme Corp", externalId: "acme-corp", email: null });
    expect((await search({ kind: "account", query: "acme" })).rows.map((r) => r.id)).toEqual([ids.acme]);
    expect((await search({ kind: "account", query: "Acme C" })).rows.map((r) => r.id)).toEqual([ids.acme]);
    expect((await search({ kind: "user", query: "acme" })).rows).toEqual([]);
    expect((await search({ pageSize: 100 })).rows.map((r) => r.id)).not.toContain(ids.acme);
    expect((await search({ kind: "account", query: "ann" })).rows).toEqual([]);
  });

  it("masks contact details for readers without PII access, and finds them only by the whole value", async () => {
    const masked = (o: Parameters<typeof search>[0]) => search({ ...o, canSeePii: false });
    // Whole email (any case) and whole phone number find the person; values come back masked.
    for (const query of ["ann.smith@example.com", "ANN.SMITH@example.com", "079 123 45 67"]) {
      const { rows } = await masked({ query });
      expect(rows.map((r) => r.id), query).toEqual([ids.ann]);
      expect(rows[0]).toMatchObject({ displayName: "Ann Example", email: "a•••@example.com", phone: "•••67", externalId: "U-Ann-1" });
    }
    // Prefixes of contact details find nothing, so they cannot be discovered letter by letter.
    for (const query of ["ann.smith@", "ann.smith@example.co", "079 123", "+4179"]) expect((await masked({ query })).rows, query).toEqual([]);
    // A person named only by their email shows it masked.
    const bob = (await masked({ query: "u-bob" })).rows[0];
    expect(bob).toMatchObject({ displayName: "b•••@example.org", named: false, email: "b•••@example.org" });
    // Browsing never shows a full email or phone number.
    const all = (await masked({ pageSize: 100 })).rows;
    expect(all.length).toBeGreaterThan(30);
    for (const r of all) {
      if (r.email) expect(r.email).toMatch(/^.•••@/);
      if (r.phone) expect(r.phone).toMatch(/^•••\d\d$/);
    }
    // Default: masked.
    expect((await searchProfiles({ workspaceId: A.workspaceId, query: "u-bob" })).rows[0].email).toBe("b•••@example.org");
  });

  it("never shows another workspace's profiles", async () => {
    expect((await search({ query: "ann.smith@example.com" })).rows.map((r) => r.id)).toEqual([ids.ann]);
    expect((await search({ workspaceId: B.workspaceId, query: "ann.smith@example.com" })).rows.map((r) => r.id)).toEqual([ids.annB]);
    expect((await search({ workspaceId: B.workspaceId, query: "ann" })).rows.map((r) => r.displayName)).toEqual(["Ann Other"]);
    expect((await search({ workspaceId: B.workspaceId, query: "pager" })).rows).toEqual([]);
    const browseB = await search({ workspaceId: B.workspaceId });
    expect(browseB.rows.map((r) => r.id)).toEqual([ids.annB]);
    expect(browseB.total).toBe(1);
    expect((await search({ pageSize: 100 })).rows.map((r) => r.id)).not.toContain(ids.annB);
  });
});

describe("parseProfileSearchParams", () => {
  it("reads the URL state and falls back to defaults", () => {
    expect(parseProfileSearchParams({})).toEqual({ query: "", kind: "user", sort: "last_seen", direction: "desc", page: 1 });
    expect(parseProfileSearchParams({ q: "  ann ", kind: "account", sort: "events", dir: "asc", page: "3" })).toEqual({ query: "ann", kind: "account", sort: "events", direction: "asc", page: 3 });
    expect(parseProfileSearchParams({ q: ["a", "b"], kind: "x", sort: "name", dir: "up", page: "-2" })).toEqual({ query: "a", kind: "user", sort: "last_seen", direction: "desc", page: 1 });
  });
});
