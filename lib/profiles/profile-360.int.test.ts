// The Customer 360 against a real PostgreSQL: events sent through the tracking API and resolved
// by the pipeline give identifiers by type, traits with lineage and candidates, a timeline paged
// with a cursor and filtered, merged ids resolving to their survivor with the ledger, masked
// contact details for roles without PII access, accounts, and nothing across workspaces.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/pool";
import { db } from "@/lib/db/prisma";
import { unmergeProfile } from "@/lib/identity/unmerge-profile";
import { createTestSource, trackingServerForTests } from "@/lib/ingest/test-tracking-server";
import { drainPipeline } from "@/lib/pipeline/process-pipeline-batch";
import { getProfile360, identifierOfProfile, resolveProfile } from "@/lib/profiles/profile-360";
import { maskJson, parseTimelineFilters, profileTimeline, timelineFacets, type TimelineEvent } from "@/lib/profiles/profile-timeline";
import { createSource } from "@/lib/sources/create-source";

const server = trackingServerForTests();

const send = (writeKey: string, batch: Record<string, unknown>[]) => server.send(writeKey, batch);

const drain = () => drainPipeline();

const q = async <T = Record<string, unknown>>(sql: string, args: unknown[] = []) => (await getPool().query(sql, args)).rows as T[];

async function profileIdOf(workspaceId: string, type: string, value: string): Promise<string> {
  const [row] = await q<{ profile_id: string }>(`SELECT profile_id FROM identities WHERE workspace_id = $1 AND type = $2 AND value = $3`, [workspaceId, type, value]);
  expect(row, `${type}:${value}`).toBeDefined();
  return row.profile_id;
}

/** A second source in the same workspace as `first`. */
async function addSource(workspaceId: string, name: string) {
  const source = await createSource({ workspaceId, name, kind: "server" });
  const { key } = await db().sourceWriteKey.findFirstOrThrow({ where: { sourceId: source.id } });
  return { sourceId: source.id, writeKey: key };
}

const at = (second: number) => new Date(Date.UTC(2026, 10, 1, 10, 0, second)).toISOString();

/** Every page of a timeline, following the cursor. */
async function allPages(options: Parameters<typeof profileTimeline>[0]) {
  const pages: TimelineEvent[][] = [];
  let cursor: string | null = null;
  do {
    const page = await profileTimeline({ ...options, cursor });
    pages.push(page.items);
    cursor = page.next;
  } while (cursor && pages.length < 50);
  return pages;
}

/** Ann: browses anonymously on the web shop, signs up there, then the CRM updates her. */
async function seedAnn() {
  const web = await createTestSource({ kind: "website" });
  await db().source.update({ where: { id: web.sourceId }, data: { name: "Web shop" } });
  const crm = await addSource(web.workspaceId, "CRM");
  const ws = web.workspaceId;
  await send(web.writeKey, [
    ...[0, 1, 2].map((i) => ({ type: "page", messageId: `p${i}`, anonymousId: "anon-ann", name: `Page ${i}`, properties: { path: `/p/${i}` }, timestamp: at(i) })),
    ...Array.from({ length: 30 }, (_, i) => ({ type: "track", messageId: `v${i}`, anonymousId: "anon-ann", event: "Product Viewed", properties: { sku: `sku-${i}` }, timestamp: at(3 + i) })),
    { type: "identify", messageId: "i-web", anonymousId: "anon-ann", userId: "u-ann", traits: { email: "Ann@Example.com", name: "Ann Smith", plan: "free", city: "Zurich" }, timestamp: at(33) },
  ]);
  await drain();
  await send(crm.writeKey, [
    { type: "identify", messageId: "i-crm", userId: "u-ann", traits: { plan: "pro", phone: "+1 201-234-5678" }, timestamp: at(34) },
    { type: "track", messageId: "o1", userId: "u-ann", event: "Order Completed", properties: { total: 42.5, email: "ann@example.com" }, timestamp: at(35) },
    { type: "track", messageId: "o2", userId: "u-ann", event: "Order Completed", properties: { total: 10 }, timestamp: at(36) },
  ]);
  await drain();
  const id = await profileIdOf(ws, "user_id", "u-ann");
  return { ws, id, web, crm };
}

describe("customer 360", () => {
  it("shows identifiers by type, traits with lineage and candidates, and a paged, filtered timeline", async () => {
    const { ws, id, web, crm } = await seedAnn();
    const p = (await getProfile360({ workspaceId: ws, profileId: id, canSeePii: true }))!;
    expect(p).toMatchObject({ id, kind: "user", title: "Ann Smith", displayName: "Ann Smith", anonymous: false, eventCount: 37, mergeCount: 0, piiMasked: false, identifierCount: 4 });
    expect(p.sources.map((s) => s.name)).toEqual(["CRM", "Web shop"]);
    expect(p.lastSource?.name).toBe("CRM");
    expect(p.keyTraits).toEqual([
      { key: "email", value: "Ann@Example.com" },
      { key: "phone", value: "+1 201-234-5678" },
      { key: "plan", value: "pro" },
      { key: "city", value: "Zurich" },
    ]);

    // Identifiers, grouped by type (the ones people recognise first), with source and dates.
    expect(p.identifiers.map((g) => [g.label, g.items.map((i) => i.value)])).toEqual([
      ["Email", ["ann@example.com"]],
      ["Phone", ["+12012345678"]],
      ["User ID", ["u-ann"]],
      ["Anonymous ID", ["anon-ann"]],
    ]);
    const anon = p.identifiers[3].items[0];
    expect(anon).toMatchObject({ firstSource: { id: web.sourceId, name: "Web shop" }, firstSeenAt: at(0), lastSeenAt: at(32) });
    expect(p.identifiers[2].items[0]).toMatchObject({ firstSource: { name: "Web shop" }, lastSource: { name: "CRM" }, lastSeenAt: at(36) });

    // Traits: the surviving value with its lineage, the other values with their counts.
    const trait = (key: string) => p.traits.find((t) => t.key === key)!;
    expect(p.traits.map((t) => t.key)).toEqual(["name", "email", "phone", "plan", "city"]);
    expect(trait("plan")).toMatchObject({ value: "pro", masked: false, lineage: { source: { id: crm.sourceId, name: "CRM" }, messageId: "i-crm", lastAt: at(34), count: 1 }, otherCount: 1 });
    expect(trait("plan").others).toEqual([{ value: "free", count: 1, firstAt: at(33), lastAt: at(33), source: { id: web.sourceId, name: "Web shop" }, messageId: "i-web" }]);
    expect(trait("email")).toMatchObject({ value: "Ann@Example.com", lineage: { source: { name: "Web shop" } }, otherCount: 0, others: [] });

    // Timeline: newest first, 25 a page, the cursor continues exactly where the page ended.
    const base = { workspaceId: ws, profileId: id, kind: "user" as const, canSeePii: true };
    const pages = await allPages(base);
    expect(pages.map((page) => page.length)).toEqual([25, 12]);
    const ids = pages.flat().map((e) => e.messageId);
    expect(ids).toEqual(["o2", "o1", "i-crm", "i-web", ...Array.from({ length: 30 }, (_, i) => `v${29 - i}`), "p2", "p1", "p0"]);
    const first = pages[0][0];
    expect(first).toMatchObject({ type: "track", event: "Order Completed", summary: "Order Completed", detail: "total: 10", source: { id: crm.sourceId, name: "CRM" }, timestamp: at(36), via: { type: "user_id", value: "u-ann" } });
    expect(first.json).toMatchObject({ messageId: "o2", event: "Order Completed", properties: { total: 10 } });
    const page = pages[1].find((e) => e.messageId === "p1")!;
    expect(page).toMatchObject({ summary: "Viewed Page 1", detail: "/p/1", via: { type: "anonymous_id", value: "anon-ann" } });
    expect(pages[0].find((e) => e.messageId === "i-web")).toMatchObject({ summary: "Identified", detail: "traits: city, email, name, plan" });
    const small = await profileTimeline({ ...base, limit: 2 });
    expect(small.items.map((e) => e.messageId)).toEqual(["o2", "o1"]);
    expect((await profileTimeline({ ...base, limit: 2, cursor: small.next })).items.map((e) => e.messageId)).toEqual(["i-crm", "i-web"]);
    await expect(profileTimeline({ ...base, cursor: "not-a-cursor" })).rejects.toThrow("cursor");

    // Filters: event name, type, source, and together.
    const only = async (filters: Partial<{ types: string[]; sourceIds: string[]; events: string[] }>) =>
      (await allPages({ ...base, filters: { types: [], sourceIds: [], events: [], ...filters } })).flat().map((e) => e.messageId);
    expect(await only({ events: ["Order Completed"] })).toEqual(["o2", "o1"]);
    expect(await only({ types: ["page"] })).toEqual(["p2", "p1", "p0"]);
    expect(await only({ sourceIds: [crm.sourceId] })).toEqual(["o2", "o1", "i-crm"]);
    expect(await only({ types: ["identify"], sourceIds: [web.sourceId] })).toEqual(["i-web"]);
    expect(await only({ types: ["track"], sourceIds: [web.sourceId] })).toHaveLength(30);
    expect(await only({ events: ["Nothing"] })).toEqual([]);
    expect(await timelineFacets({ workspaceId: ws, profileId: id, kind: "user" })).toEqual({
      types: ["identify", "page", "track"],
      sources: [{ id: crm.sourceId, name: "CRM" }, { id: web.sourceId, name: "Web shop" }],
      events: ["Product Viewed", "Order Completed"],
    });

    // Filter parsing: the route refuses bad values, the page drops them.
    const params = new URLSearchParams({ type: "track", source: "nope", event: "Order Completed" });
    expect(() => parseTimelineFilters((n) => params.getAll(n), { strict: true })).toThrow("source");
    expect(parseTimelineFilters((n) => params.getAll(n))).toEqual({ types: ["track"], sourceIds: [], events: ["Order Completed"] });
  });

  it("masks e-mails and phones everywhere for roles without PII access", async () => {
    const { ws, id } = await seedAnn();
    const p = (await getProfile360({ workspaceId: ws, profileId: id, canSeePii: false }))!;
    expect(p.piiMasked).toBe(true);
    expect(p.identifiers.map((g) => g.items[0].value)).toEqual(["a•••@example.com", "•••78", "u-ann", "anon-ann"]);
    expect(p.keyTraits.slice(0, 2)).toEqual([{ key: "email", value: "A•••@Example.com" }, { key: "phone", value: "•••78" }]);
    expect(p.traits.find((t) => t.key === "email")).toMatchObject({ value: "A•••@Example.com", masked: true });
    expect(p.traits.find((t) => t.key === "plan")).toMatchObject({ value: "pro", masked: false });

    const events = (await allPages({ workspaceId: ws, profileId: id, kind: "user", canSeePii: false })).flat();
    const identify = events.find((e) => e.messageId === "i-web")!;
    expect(identify.json).toMatchObject({ traits: { email: "A•••@Example.com", name: "Ann Smith", plan: "free" } });
    expect(events.find((e) => e.messageId === "i-crm")!.json).toMatchObject({ traits: { phone: "•••78", plan: "pro" } });
    expect(events.find((e) => e.messageId === "o1")!.json).toMatchObject({ properties: { total: 42.5, email: "a•••@example.com" } });

    // Nothing of the contact details is left anywhere in what the page receives.
    const everything = JSON.stringify([p, events]).toLowerCase();
    expect(everything).not.toContain("ann@example.com");
    expect(everything).not.toContain("234-5678");
    expect(everything).not.toContain("2012345678");
    // Free text and nested values are masked too.
    expect(maskJson({ a: { recipients: ["bo@x.io"], contact: { work_email: "c@y.io", mobile: 41791234567 } }, note: "write to dee@z.io" }, false)).toEqual({
      a: { recipients: ["b•••@x.io"], contact: { work_email: "c•••@y.io", mobile: "•••" } },
      note: "write to d•••@z.io",
    });
  });

  it("resolves a merged-away id to its survivor, shows the merge ledger and the undo", async () => {
    const s = await createTestSource();
    const ws = s.workspaceId;
    await send(s.writeKey, [
      { type: "identify", messageId: "w1", anonymousId: "web-1", traits: { email: "bo@x.io", plan: "free" }, timestamp: at(1) },
      { type: "identify", messageId: "c1", anonymousId: "crm-1", traits: { phone: "+1 201-234-5679", plan: "pro" }, timestamp: at(2) },
    ]);
    await drain();
    const web = await profileIdOf(ws, "anonymous_id", "web-1");
    const crm = await profileIdOf(ws, "anonymous_id", "crm-1");
    await send(s.writeKey, [{ type: "identify", messageId: "l1", userId: "bo", traits: { email: "bo@x.io", phone: "(201) 234-5679" }, timestamp: at(3) }]);
    await drain();
    const survivor = await profileIdOf(ws, "user_id", "bo");
    const gone = survivor === web ? crm : web;

    expect(await resolveProfile({ workspaceId: ws, profileId: gone })).toEqual({ status: "merged", survivorId: survivor, kind: "user" });
    expect(await resolveProfile({ workspaceId: ws, profileId: survivor.toUpperCase() })).toEqual({ status: "found", id: survivor, kind: "user" });
    expect(await getProfile360({ workspaceId: ws, profileId: gone, canSeePii: true })).toBeNull();
    // The timeline of a merged-away id is its survivor's (the route resolves first).
    const p = (await getProfile360({ workspaceId: ws, profileId: survivor, canSeePii: true }))!;
    expect(p).toMatchObject({ mergeCount: 1, identifierCount: 5, anonymous: false });
    expect(p.merges).toHaveLength(1);
    expect(p.merges[0]).toMatchObject({
      role: "survivor",
      survivor: { id: survivor, self: true },
      merged: { id: gone, self: false },
      messageId: "l1",
      source: { id: s.sourceId, name: "Test source" },
      identifierCount: 2,
      undoneAt: null,
    });
    expect(p.merges[0].linkedBy.map((l) => `${l.type}:${l.value}`)).toEqual(expect.arrayContaining([survivor === web ? "phone:+12012345679" : "email:bo@x.io"]));
    const masked = (await getProfile360({ workspaceId: ws, profileId: survivor, canSeePii: false }))!;
    expect(JSON.stringify(masked.merges)).not.toContain("bo@x.io");
    expect(JSON.stringify(masked.merges)).not.toContain("2012345679");

    // Unmerge the phone: the merge is marked undone on both sides, the split profile is live again.
    const phone = p.identifiers.find((g) => g.type === "phone")!.items[0];
    expect(await identifierOfProfile({ workspaceId: ws, profileId: survivor, identityId: phone.id })).toEqual({ type: "phone", value: "+12012345679" });
    const result = await unmergeProfile({ workspaceId: ws, profileId: survivor, identifier: { type: "phone", value: "+12012345679" } });
    const after = (await getProfile360({ workspaceId: ws, profileId: survivor, canSeePii: true }))!;
    expect(after.merges[0].undoneAt).not.toBeNull();
    expect(after.identifiers.flatMap((g) => g.items.map((i) => `${i.type}:${i.value}`)).sort()).toEqual(["anonymous_id:web-1", "email:bo@x.io", "user_id:bo"]);
    expect(await resolveProfile({ workspaceId: ws, profileId: result.splitProfileId })).toEqual({ status: "found", id: result.splitProfileId, kind: "user" });
    const split = (await getProfile360({ workspaceId: ws, profileId: result.splitProfileId, canSeePii: true }))!;
    expect(split.identifiers.flatMap((g) => g.items.map((i) => `${i.type}:${i.value}`)).sort()).toEqual(["anonymous_id:crm-1", "phone:+12012345679"]);
    expect(split.merges).toEqual([expect.objectContaining({ role: "merged", merged: expect.objectContaining({ self: true }), undoneAt: after.merges[0].undoneAt })]);
    expect((await profileTimeline({ workspaceId: ws, profileId: split.id, kind: "user", canSeePii: true })).items.map((e) => e.messageId)).toEqual(["c1"]);

    // A chain of merges (a into b, b into c) leads to its end; a cycle or an unknown id leads nowhere.
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    await q(
      `INSERT INTO profiles (workspace_id, id, merged_into_id, first_seen_at, last_seen_at) VALUES ($1, $2, $3, now(), now()), ($1, $3, $4, now(), now()), ($1, $4, NULL, now(), now())`,
      [ws, a, b, c],
    );
    expect(await resolveProfile({ workspaceId: ws, profileId: a })).toEqual({ status: "merged", survivorId: c, kind: "user" });
    const [x, y] = [randomUUID(), randomUUID()];
    await q(`INSERT INTO profiles (workspace_id, id, merged_into_id, first_seen_at, last_seen_at) VALUES ($1, $2, $3, now(), now()), ($1, $3, $2, now(), now())`, [ws, x, y]);
    expect(await resolveProfile({ workspaceId: ws, profileId: x })).toEqual({ status: "not_found" });
    expect(await resolveProfile({ workspaceId: ws, profileId: randomUUID() })).toEqual({ status: "not_found" });
    expect(await resolveProfile({ workspaceId: ws, profileId: "not-a-uuid" })).toEqual({ status: "not_found" });
  });

  it("links people and accounts both ways; an account's timeline is its group calls", async () => {
    const s = await createTestSource();
    const ws = s.workspaceId;
    await send(s.writeKey, [
      { type: "identify", messageId: "a0", userId: "u-1", traits: { name: "Cy Doe", email: "cy@acme.io" }, timestamp: at(1) },
      { type: "group", messageId: "g1", userId: "u-1", groupId: "acme", traits: { name: "Acme Inc", plan: "enterprise" }, timestamp: at(2) },
      { type: "group", messageId: "g2", userId: "u-2", groupId: "acme", traits: { employees: 120 }, timestamp: at(3) },
      { type: "track", messageId: "t1", userId: "u-2", event: "Seat Added", timestamp: at(4) },
    ]);
    await drain();
    const account = await profileIdOf(ws, "group_id", "acme");
    const cy = await profileIdOf(ws, "user_id", "u-1");
    const acc = (await getProfile360({ workspaceId: ws, profileId: account, canSeePii: false }))!;
    expect(acc).toMatchObject({ kind: "account", title: "Acme Inc", anonymous: false, identifiers: [{ type: "group_id", label: "Group ID", items: [{ value: "acme" }] }] });
    expect(acc.links.total).toBe(2);
    expect(acc.links.items.map((l) => [l.title, l.subtitle])).toEqual(
      expect.arrayContaining([
        ["Cy Doe", "Email c•••@acme.io"],
        ["u-2", null],
      ]),
    );
    const person = (await getProfile360({ workspaceId: ws, profileId: cy, canSeePii: true }))!;
    expect(person.links).toEqual({ total: 1, items: [expect.objectContaining({ id: account, title: "Acme Inc", subtitle: "Group ID acme" })] });
    const timeline = await profileTimeline({ workspaceId: ws, profileId: account, kind: "account", canSeePii: true });
    expect(timeline.items.map((e) => [e.messageId, e.summary])).toEqual([["g2", "Joined account acme"], ["g1", "Joined account acme"]]);
    expect(await timelineFacets({ workspaceId: ws, profileId: account, kind: "account" })).toMatchObject({ types: ["group"], events: [] });
  });

  it("never shows another workspace's profile", async () => {
    const { ws, id } = await seedAnn();
    const other = await createTestSource();
    await send(other.writeKey, [{ type: "identify", messageId: "x", userId: "u-ann", traits: { email: "ann@example.com" }, timestamp: at(1) }]);
    await drain();
    const otherId = await profileIdOf(other.workspaceId, "user_id", "u-ann");
    expect(otherId).not.toBe(id);

    expect(await resolveProfile({ workspaceId: other.workspaceId, profileId: id })).toEqual({ status: "not_found" });
    expect(await getProfile360({ workspaceId: other.workspaceId, profileId: id, canSeePii: true })).toBeNull();
    expect((await profileTimeline({ workspaceId: other.workspaceId, profileId: id, kind: "user", canSeePii: true })).items).toEqual([]);
    expect(await timelineFacets({ workspaceId: other.workspaceId, profileId: id, kind: "user" })).toEqual({ types: [], sources: [], events: [] });
    const phone = (await getProfile360({ workspaceId: ws, profileId: id, canSeePii: true }))!.identifiers.find((g) => g.type === "phone")!.items[0];
    expect(await identifierOfProfile({ workspaceId: other.workspaceId, profileId: id, identityId: phone.id })).toBeNull();
    // The same person in the other workspace sees only its own events and sources.
    const mine = (await getProfile360({ workspaceId: other.workspaceId, profileId: otherId, canSeePii: true }))!;
    expect(mine).toMatchObject({ eventCount: 1, identifierCount: 2, sources: [{ name: "Test source" }] });
    expect((await profileTimeline({ workspaceId: other.workspaceId, profileId: otherId, kind: "user", canSeePii: true })).items.map((e) => e.messageId)).toEqual(["x"]);
  });
});
