// Segment membership against a real PostgreSQL and the real pipeline: incremental membership after
// a random event stream equals a from-scratch full evaluation; enter/exit records carry time and
// cause; merges move people; windows expire with the (injectable) clock; a broken segment never
// stops the others; cycles and unknown references are refused.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/pool";
import { createTestSource, trackingServerForTests } from "@/lib/ingest/test-tracking-server";
import { applyNextFollowUp } from "@/lib/pipeline/pipeline-follow-ups";
import { drainPipeline, resolvePipelineBatch } from "@/lib/pipeline/process-pipeline-batch";
import { saveComputedTrait } from "@/lib/computed-traits/save-computed-trait";
import { compileSegment } from "@/lib/segments/compile-segment";
import { evaluateAllSegments, evaluateSegment } from "@/lib/segments/evaluate-segments";
import { createSegment, deleteSegment, updateSegment } from "@/lib/segments/save-segment";
import type { RuleGroup } from "@/lib/segments/segment-rule";
import { DAY_MS } from "@/lib/segments/segment-values";
import { sweepSegments } from "@/lib/segments/sweep-segments";

const server = trackingServerForTests();
const q = async <T = Record<string, unknown>>(sql: string, args: unknown[] = []) => (await getPool().query(sql, args)).rows as T[];
const and = (...children: RuleGroup["children"]): RuleGroup => ({ kind: "group", op: "and", negate: false, children });
const or = (...children: RuleGroup["children"]): RuleGroup => ({ kind: "group", op: "or", negate: false, children });

async function members(ws: string, segmentId: string): Promise<string[]> {
  return (await q<{ profile_id: string }>(`SELECT profile_id FROM segment_memberships WHERE workspace_id = $1 AND segment_id = $2 ORDER BY 1`, [ws, segmentId])).map((r) => r.profile_id);
}

async function ownerOf(ws: string, type: string, value: string) {
  const [r] = await q<{ profile_id: string }>(`SELECT profile_id FROM identities WHERE workspace_id = $1 AND type = $2 AND value = $3`, [ws, type, value]);
  return r?.profile_id;
}

describe("incremental membership", () => {
  let ws: string;
  let writeKey: string;
  const segments: Record<string, string> = {};

  beforeAll(async () => {
    ({ workspaceId: ws, writeKey } = await createTestSource());
    const create = async (name: string, rule: RuleGroup) => (segments[name] = (await createSegment({ workspaceId: ws, userId: null, name, rule })).id);
    await create("DACH buyers", and({ kind: "trait", key: "country", type: "string", op: "in", values: ["DE", "AT"] }, { kind: "event", event: "Order Completed", count: { op: "at_least", value: 1 }, window: { type: "last_days", days: 30 }, where: [] }));
    await create("Big recent order or pro", or(
      { kind: "event", event: "Order Completed", count: { op: "at_least", value: 1 }, window: { type: "last_days", days: 14 }, where: [{ property: "total", type: "number", op: "gt", value: 100 }] },
      { kind: "trait", key: "plan", type: "string", op: "equals", value: "pro" },
    ));
    await create("Known, not DACH buyer", and({ kind: "identifier", identifierType: "user_id", present: true }, { kind: "segment", segmentId: segments["DACH buyers"], member: false }));
    // A segment's membership changes before the segments defined on it are checked, in the same batch.
    await create("DACH buyers who read the newsletter", and({ kind: "segment", segmentId: segments["DACH buyers"], member: true }, { kind: "event", event: "Newsletter Opened", count: { op: "at_least", value: 1 }, window: { type: "ever" }, where: [] }));
    await create("Spent 200", and({ kind: "event", event: "Order Completed", count: { op: "at_least", value: 0 }, window: { type: "ever" }, where: [], aggregate: { fn: "sum", property: "total", type: "number", op: "gte", value: 200 } }));
    await create("Never browsed, valuable", and({ kind: "event", event: "Page Viewed", count: { op: "exactly", value: 0 }, window: { type: "ever" }, where: [] }, { kind: "trait", key: "ltv", type: "number", op: "gt", value: 50 }));
  });

  it("equals a full evaluation after a random event stream (with merges)", async () => {
    const now = Date.now();
    const user = fc.integer({ min: 1, max: 12 }).map((n) => `u${n}`);
    const anon = fc.integer({ min: 1, max: 16 }).map((n) => `a${n}`);
    const who = fc.oneof(user.map((userId) => ({ userId })), anon.map((anonymousId) => ({ anonymousId })));
    const when = fc.integer({ min: 0, max: 40 * 24 }).map((h) => new Date(now - h * 3_600_000 - 60_000).toISOString());
    const message = fc.oneof(
      fc.record({ type: fc.constant("identify"), who, traits: fc.record({ country: fc.constantFrom("DE", "AT", "FR", "de"), plan: fc.constantFrom("pro", "free"), ltv: fc.integer({ min: 0, max: 100 }) }, { requiredKeys: [] }), timestamp: when }),
      fc.record({ type: fc.constant("track"), who, event: fc.constant("Order Completed"), properties: fc.record({ total: fc.integer({ min: 0, max: 300 }) }), timestamp: when }),
      fc.record({ type: fc.constant("track"), who, event: fc.constantFrom("Page Viewed", "Newsletter Opened"), properties: fc.constant({}), timestamp: when }),
      // Links an anonymous visitor to a user: merges their profiles.
      fc.record({ type: fc.constant("identify"), who: fc.tuple(user, anon).map(([userId, anonymousId]) => ({ userId, anonymousId })), traits: fc.constant({}), timestamp: when }),
    );
    const batches = fc.sample(fc.array(message, { minLength: 10, maxLength: 30 }), { numRuns: 25, seed: 42 });
    // After every batch, what the pipeline stored equals what the compiled rule selects now.
    const rules = await q<{ id: string; name: string; rule: RuleGroup }>(`SELECT id, name, rule FROM segments WHERE workspace_id = $1`, [ws]);
    let n = 0;
    let nonTrivial = 0;
    for (const [b, batch] of batches.entries()) {
      await server.send(writeKey, batch.map(({ who: w, ...m }) => ({ ...m, ...w, messageId: `m-${(n += 1)}` })));
      await drainPipeline();
      for (const s of rules) {
        const { sql, params } = compileSegment(s.rule, { workspaceId: ws, now: new Date() });
        const expected = (await getPool().query<{ profile_id: string }>(sql, params)).rows.map((r) => r.profile_id).sort();
        const stored = await members(ws, s.id);
        if (stored.length > 0) nonTrivial += 1;
        expect(stored, `${s.name} after batch ${b + 1}`).toEqual(expected);
      }
    }
    expect(nonTrivial).toBeGreaterThan(rules.length * batches.length * 0.5);

    const incremental: Record<string, string[]> = {};
    for (const [name, id] of Object.entries(segments)) incremental[name] = await members(ws, id);
    expect(Object.values(incremental).filter((m) => m.length > 0).length).toBeGreaterThanOrEqual(rules.length - 1);

    const full = await evaluateAllSegments({ workspaceId: ws });
    expect(full.failed).toEqual([]);
    for (const r of full.results) expect({ segment: r.segmentId, entered: r.entered, exited: r.exited }).toEqual({ segment: r.segmentId, entered: 0, exited: 0 });
    for (const [name, id] of Object.entries(segments)) expect(await members(ws, id), name).toEqual(incremental[name]);

    // Each membership has an enter record (cause event, with the message), each change its day's stats.
    const [{ enters }] = await q<{ enters: number }>(`SELECT count(*)::int AS enters FROM segment_membership_changes WHERE workspace_id = $1 AND kind = 'enter' AND cause = 'event' AND message_id LIKE 'm-%'`, [ws]);
    expect(enters).toBeGreaterThan(0);
    const counts = await q<{ id: string; member_count: number; actual: number }>(
      `SELECT s.id, s.member_count, (SELECT count(*)::int FROM segment_memberships m WHERE m.workspace_id = s.workspace_id AND m.segment_id = s.id) AS actual FROM segments s WHERE s.workspace_id = $1`,
      [ws],
    );
    for (const c of counts) expect(c.member_count).toBe(c.actual);
    const stats = await q<{ segment_id: string; size: number }>(`SELECT segment_id, size FROM segment_daily_stats WHERE workspace_id = $1 AND day = (now() AT TIME ZONE 'UTC')::date`, [ws]);
    for (const c of counts) expect(stats.find((s) => s.segment_id === c.id)?.size ?? 0).toBe(c.actual);
  }, 120_000);

  it("equals a full evaluation when batches resolve ahead of their follow-ups (with merges in between)", async () => {
    // The worker's two stages run concurrently: a batch's follow-up (anchors, daily counts,
    // memberships) can be applied after later batches merged its profiles away.
    const { workspaceId: ws2, writeKey: key2 } = await createTestSource();
    const rules = await q<{ name: string; rule: RuleGroup }>(`SELECT name, rule FROM segments WHERE workspace_id = $1 ORDER BY created_at`, [ws]);
    const ids: Record<string, string> = {};
    for (const r of rules) ids[r.name] = (await createSegment({ workspaceId: ws2, userId: null, name: r.name, rule: JSON.parse(JSON.stringify(r.rule).replaceAll(segments["DACH buyers"], ids["DACH buyers"] ?? "")) })).id;
    const now = Date.now();
    let n = 0;
    const at = (h: number) => new Date(now - h * 3_600_000).toISOString();
    const steps = fc.sample(fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 30 * 24 }), fc.integer({ min: 0, max: 3 })), { numRuns: 120, seed: 7 });
    let mostQueued = 0;
    let groups = 0;
    for (const [i, [u, a, kind, h, applyDie]] of steps.entries()) {
      const m = { messageId: `r-${(n += 1)}`, timestamp: at(h) };
      const msg =
        kind === 0 ? { ...m, type: "track", anonymousId: `a${a}`, event: "Order Completed", properties: { total: 150 } }
        : kind === 1 ? { ...m, type: "identify", anonymousId: `a${a}`, traits: { country: "DE", plan: h % 2 ? "pro" : "free", ltv: 60 } }
        : kind === 2 ? { ...m, type: "track", userId: `u${u}`, event: i % 3 ? "Newsletter Opened" : "Page Viewed", properties: {} }
        : { ...m, type: "identify", userId: `u${u}`, anonymousId: `a${a}`, traits: {} };
      await server.send(key2, [msg]);
      await resolvePipelineBatch();
      if (applyDie > 0) continue;
      // Everything queued is applied together (combineFollowUps), merges of later batches included.
      const [{ queued }] = await q<{ queued: number }>(`SELECT count(*)::int AS queued FROM pipeline_follow_ups WHERE workspace_id = $1`, [ws2]);
      mostQueued = Math.max(mostQueued, queued);
      if (queued > 1) groups++;
      await applyNextFollowUp();
    }
    expect(mostQueued).toBeGreaterThan(8);
    expect(groups).toBeGreaterThan(10);
    const [{ merges }] = await q<{ merges: number }>(`SELECT count(*)::int AS merges FROM profile_merges WHERE workspace_id = $1`, [ws2]);
    expect(merges).toBeGreaterThan(3);
    await drainPipeline();

    // Daily counts are exactly the live profiles' events, none left on a merged-away profile.
    const days = `SELECT profile_id::text, event, day::text, count FROM profile_event_days WHERE workspace_id = $1 ORDER BY 1, 2, 3`;
    const stored = await q(days, [ws2]);
    const [{ merged }] = await q<{ merged: number }>(`SELECT count(*)::int AS merged FROM profile_event_days d JOIN profiles p ON p.workspace_id = d.workspace_id AND p.id = d.profile_id WHERE d.workspace_id = $1 AND p.merged_into_id IS NOT NULL`, [ws2]);
    expect(merged).toBe(0);
    const fromEvents = await q(
      `SELECT i.profile_id::text, e.event, (e.timestamp AT TIME ZONE 'UTC')::date::text AS day, count(*)::int AS count
       FROM identities i
       JOIN event_identities a ON a.workspace_id = i.workspace_id AND a.identity_id = i.id
       JOIN events e ON e.workspace_id = a.workspace_id AND e.id = a.event_id AND e.received_at = a.received_at
       WHERE i.workspace_id = $1 AND e.event IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      [ws2],
    );
    expect(stored).toEqual(fromEvents);
    expect(stored.length).toBeGreaterThan(5);
    const [{ anchors, events }] = await q<{ anchors: number; events: number }>(
      `SELECT (SELECT count(*)::int FROM event_identities WHERE workspace_id = $1) AS anchors, (SELECT count(*)::int FROM events WHERE workspace_id = $1) AS events`,
      [ws2],
    );
    expect(anchors).toBe(events);
    for (const r of rules) {
      const { sql, params } = compileSegment((await q<{ rule: RuleGroup }>(`SELECT rule FROM segments WHERE workspace_id = $1 AND id = $2`, [ws2, ids[r.name]]))[0].rule, { workspaceId: ws2, now: new Date() });
      const expected = (await getPool().query<{ profile_id: string }>(sql, params)).rows.map((x) => x.profile_id).sort();
      expect(await members(ws2, ids[r.name]), r.name).toEqual(expected);
    }
  }, 120_000);

  it("moves a merged-away profile out and its survivor in", async () => {
    const t = new Date(Date.now() - 3_600_000).toISOString();
    await server.send(writeKey, [
      { type: "identify", messageId: "mg-1", anonymousId: "merge-anon", traits: { country: "DE" }, timestamp: t },
      { type: "track", messageId: "mg-2", anonymousId: "merge-anon", event: "Order Completed", properties: { total: 10 }, timestamp: t },
    ]);
    await drainPipeline();
    const anonProfile = await ownerOf(ws, "anonymous_id", "merge-anon");
    expect(await members(ws, segments["DACH buyers"])).toContain(anonProfile);
    await server.send(writeKey, [{ type: "identify", messageId: "mg-3", userId: "merge-user", traits: { plan: "free" }, timestamp: t }]);
    await drainPipeline();
    const userProfile = await ownerOf(ws, "user_id", "merge-user");
    await server.send(writeKey, [{ type: "identify", messageId: "mg-4", userId: "merge-user", anonymousId: "merge-anon", timestamp: t }]);
    await drainPipeline();
    const survivor = await ownerOf(ws, "user_id", "merge-user");
    const gone = survivor === userProfile ? anonProfile : userProfile;
    const dach = await members(ws, segments["DACH buyers"]);
    expect(dach).toContain(survivor);
    expect(dach).not.toContain(gone);
    const changes = await q<{ kind: string; cause: string }>(`SELECT kind, cause FROM segment_membership_changes WHERE workspace_id = $1 AND profile_id = $2 ORDER BY id`, [ws, gone]);
    if (gone === anonProfile) expect(changes.at(-1)).toEqual({ kind: "exit", cause: "merge" });
  });

  it("reads the events of a person who enters a referenced segment in the same batch", async () => {
    // Events are loaded only for profiles whose outcome depends on them: here the person's
    // membership of "Germans" changes in this batch, so "Germans who read the newsletter" must
    // count their (earlier) newsletter events, even though before the batch they were not German.
    const { workspaceId: ws, writeKey } = await createTestSource();
    const germans = (await createSegment({ workspaceId: ws, userId: null, name: "Germans", rule: and({ kind: "trait", key: "country", type: "string", op: "equals", value: "DE" }) })).id;
    const readers = (await createSegment({ workspaceId: ws, userId: null, name: "Germans who read the newsletter", rule: and({ kind: "segment", segmentId: germans, member: true }, { kind: "event", event: "Newsletter Opened", count: { op: "at_least", value: 1 }, window: { type: "ever" }, where: [] }) })).id;
    const t = new Date(Date.now() - 3_600_000).toISOString();
    await server.send(writeKey, [
      { type: "identify", messageId: "nl-1", userId: "reader", traits: { country: "FR" }, timestamp: t },
      { type: "track", messageId: "nl-2", userId: "reader", event: "Newsletter Opened", properties: {}, timestamp: t },
    ]);
    await drainPipeline();
    expect(await members(ws, readers)).toEqual([]);
    await server.send(writeKey, [{ type: "identify", messageId: "nl-3", userId: "reader", traits: { country: "DE" }, timestamp: new Date().toISOString() }]);
    await drainPipeline();
    const reader = await ownerOf(ws, "user_id", "reader");
    expect(await members(ws, germans)).toEqual([reader]);
    expect(await members(ws, readers)).toEqual([reader]);
  });
});

describe("window expiry", () => {
  it("moves a member out when the qualifying event leaves the window, at the right day", async () => {
    const { workspaceId: ws, writeKey } = await createTestSource();
    const { id } = await createSegment({ workspaceId: ws, userId: null, name: "Bought this week", rule: and({ kind: "event", event: "Order Completed", count: { op: "at_least", value: 1 }, window: { type: "last_days", days: 7 }, where: [] }) });
    const eventAt = new Date(Date.now() - 2 * 3_600_000);
    await server.send(writeKey, [{ type: "track", messageId: "w-1", userId: "w-user", event: "Order Completed", timestamp: eventAt.toISOString() }]);
    await drainPipeline();
    const profile = await ownerOf(ws, "user_id", "w-user");
    expect(await members(ws, id)).toEqual([profile]);

    const eventDay = Math.floor(eventAt.getTime() / DAY_MS) * DAY_MS;
    // Six days after the event's day it is still inside "the last 7 days" (today included)…
    await sweepSegments({ workspaceId: ws, now: new Date(eventDay + 6 * DAY_MS + 23 * 3_600_000) });
    expect(await members(ws, id)).toEqual([profile]);
    // …and on the seventh day it is out, with the cause recorded.
    const r = await sweepSegments({ workspaceId: ws, now: new Date(eventDay + 7 * DAY_MS + 60_000) });
    expect(r.exited).toBe(1);
    expect(await members(ws, id)).toEqual([]);
    const [last] = await q<{ kind: string; cause: string; at: Date }>(`SELECT kind, cause, at FROM segment_membership_changes WHERE workspace_id = $1 AND segment_id = $2 ORDER BY id DESC LIMIT 1`, [ws, id]);
    expect(last).toMatchObject({ kind: "exit", cause: "window_expiry" });
    expect(last.at.getTime()).toBe(eventDay + 7 * DAY_MS + 60_000);
    // Idempotent: sweeping again changes nothing.
    expect((await sweepSegments({ workspaceId: ws, now: new Date(eventDay + 7 * DAY_MS + 120_000) })).exited).toBe(0);
  });
});

describe("failures and bad references", () => {
  it("isolates a broken segment: the others are evaluated, the broken one records why", async () => {
    const { workspaceId: ws } = await createTestSource();
    const good = await createSegment({ workspaceId: ws, userId: null, name: "Good", rule: and({ kind: "trait", key: "plan", type: "string", op: "exists" }) });
    await q(`INSERT INTO segments (workspace_id, id, key, name, rule) VALUES ($1, gen_random_uuid(), 'broken', 'Broken', '{"kind":"group","op":"xor","children":[]}')`, [ws]);
    const r = await evaluateAllSegments({ workspaceId: ws });
    expect(r.results.map((x) => x.segmentId)).toEqual([good.id]);
    expect(r.failed).toHaveLength(1);
    const [broken] = await q<{ last_error: string }>(`SELECT last_error FROM segments WHERE workspace_id = $1 AND key = 'broken'`, [ws]);
    expect(broken.last_error).toMatch(/stored rule is invalid/);
    // A filtered evaluation (the sweep, a computed trait's dependents) leaves an unreadable rule alone.
    const filtered = await evaluateAllSegments({ workspaceId: ws, which: () => true });
    expect(filtered.results.map((x) => x.segmentId)).toEqual([good.id]);
    expect(filtered.failed).toEqual([]);
  });

  it("refuses cycles, self references and unknown segments with a clear message", async () => {
    const { workspaceId: ws } = await createTestSource();
    const a = await createSegment({ workspaceId: ws, userId: null, name: "A", rule: and({ kind: "trait", key: "plan", type: "string", op: "exists" }) });
    const b = await createSegment({ workspaceId: ws, userId: null, name: "B", rule: and({ kind: "segment", segmentId: a.id, member: true }) });
    await expect(updateSegment({ workspaceId: ws, userId: null, segmentId: a.id, version: 1, name: "A", rule: and({ kind: "segment", segmentId: b.id, member: false }) })).rejects.toThrow(/cycle.*"B"/);
    await expect(updateSegment({ workspaceId: ws, userId: null, segmentId: a.id, version: 1, name: "A", rule: and({ kind: "segment", segmentId: a.id, member: true }) })).rejects.toThrow(/cannot include itself/);
    await expect(createSegment({ workspaceId: ws, userId: null, name: "C", rule: and({ kind: "segment", segmentId: "00000000-0000-4000-8000-000000000000", member: true }) })).rejects.toThrow(/no longer exists/);
    await expect(createSegment({ workspaceId: ws, userId: null, name: "a", rule: and({ kind: "trait", key: "x", type: "string", op: "exists" }) })).rejects.toThrow(/already exists/);
    await expect(createSegment({ workspaceId: ws, userId: null, name: "Deep", rule: and(and(and(and(and(and({ kind: "trait", key: "x", type: "string", op: "exists" })))))) })).rejects.toThrow(/nested 5 levels/);
  });

  it("keeps working when a referenced segment is deleted: the condition simply has no members", async () => {
    const { workspaceId: ws, writeKey } = await createTestSource();
    await server.send(writeKey, [{ type: "identify", messageId: "d-1", userId: "d-user", traits: { plan: "pro" }, timestamp: new Date().toISOString() }]);
    await drainPipeline();
    const a = await createSegment({ workspaceId: ws, userId: null, name: "Pros", rule: and({ kind: "trait", key: "plan", type: "string", op: "equals", value: "pro" }) });
    const b = await createSegment({ workspaceId: ws, userId: null, name: "Not pros", rule: and({ kind: "segment", segmentId: a.id, member: false }) });
    expect(await members(ws, b.id)).toEqual([]);
    const pro = await ownerOf(ws, "user_id", "d-user");
    expect(await members(ws, a.id)).toEqual([pro]);
    await deleteSegment({ workspaceId: ws, segmentId: a.id });
    // The members of the deleted segment exit (the feed activation reads); "not in it" now holds for everyone.
    const exits = await q<{ profile_id: string; kind: string; cause: string }>(`SELECT profile_id, kind, cause FROM segment_membership_changes WHERE workspace_id = $1 AND segment_id = $2 AND kind = 'exit'`, [ws, a.id]);
    expect(exits).toEqual([{ profile_id: pro, kind: "exit", cause: "segment_deleted" }]);
    expect(await members(ws, b.id)).toEqual([pro]);
    const r = await evaluateSegment({ workspaceId: ws, segmentId: b.id });
    expect(r.entered + r.exited).toBe(0);
  });

  it("refreshes segment_memberships' statistics after a change of 10,000 members or more", async () => {
    const { workspaceId: ws } = await createTestSource();
    await q(`INSERT INTO profiles (workspace_id, id, kind, traits, first_seen_at, last_seen_at, updated_at)
             SELECT $1, gen_random_uuid(), 'user', '{"tier": "bulk"}', now(), now(), now() FROM generate_series(1, 10000)`, [ws]);
    const before = await q<{ n: number }>(`SELECT reltuples::int AS n FROM pg_class WHERE oid = 'segment_memberships'::regclass`);
    expect(before[0].n).toBeLessThan(10_000);
    const bulk = await createSegment({ workspaceId: ws, userId: null, name: "Bulk", rule: and({ kind: "trait", key: "tier", type: "string", op: "equals", value: "bulk" }) });
    expect(await members(ws, bulk.id)).toHaveLength(10_000);
    const [after] = await q<{ n: number }>(`SELECT reltuples::int AS n FROM pg_class WHERE oid = 'segment_memberships'::regclass`);
    expect(after.n).toBeGreaterThanOrEqual(10_000);
  });

  it("re-evaluates the segments defined on a segment, at any depth, when its rule changes", async () => {
    const { workspaceId: ws, writeKey } = await createTestSource();
    await server.send(writeKey, [
      { type: "identify", messageId: "dep-1", userId: "dep-de", traits: { country: "DE", plan: "pro" }, timestamp: new Date().toISOString() },
      { type: "identify", messageId: "dep-2", userId: "dep-at", traits: { country: "AT", plan: "pro" }, timestamp: new Date().toISOString() },
    ]);
    await drainPipeline();
    const [de, at] = [await ownerOf(ws, "user_id", "dep-de"), await ownerOf(ws, "user_id", "dep-at")];
    const country = (value: string) => and({ kind: "trait", key: "country", type: "string", op: "equals", value });
    const a = await createSegment({ workspaceId: ws, userId: null, name: "Country", rule: country("DE") });
    const b = await createSegment({ workspaceId: ws, userId: null, name: "Pro in country", rule: and({ kind: "segment", segmentId: a.id, member: true }, { kind: "trait", key: "plan", type: "string", op: "equals", value: "pro" }) });
    const c = await createSegment({ workspaceId: ws, userId: null, name: "Not pro in country", rule: and({ kind: "segment", segmentId: b.id, member: false }) });
    expect([await members(ws, b.id), await members(ws, c.id)]).toEqual([[de], [at]]);
    await updateSegment({ workspaceId: ws, userId: null, segmentId: a.id, version: 1, name: "Country", rule: country("AT") });
    expect([await members(ws, b.id), await members(ws, c.id)]).toEqual([[at], [de]]);
    const causes = await q<{ cause: string }>(`SELECT DISTINCT cause FROM segment_membership_changes WHERE workspace_id = $1 AND segment_id = ANY($2::uuid[]) AND at > now() - interval '1 minute' AND kind = 'exit'`, [ws, [b.id, c.id]]);
    expect(causes).toEqual([{ cause: "rule_changed" }]);
  });

  it("re-evaluates segments on a computed trait when the trait's definition changes", async () => {
    const { workspaceId: ws, writeKey } = await createTestSource();
    const t = new Date(Date.now() - 3_600_000).toISOString();
    await server.send(writeKey, [
      { type: "track", messageId: "ct-1", userId: "ct-user", event: "Order Completed", timestamp: t },
      { type: "track", messageId: "ct-2", userId: "ct-user", event: "Page Viewed", timestamp: t },
      { type: "track", messageId: "ct-3", userId: "ct-user", event: "Page Viewed", timestamp: t },
    ]);
    await drainPipeline();
    const trait = await saveComputedTrait({ workspaceId: ws, name: "Events counted", definition: { fn: "count", event: "Order Completed", window: { type: "ever" } } });
    const segment = await createSegment({ workspaceId: ws, userId: null, name: "Counted twice", rule: and({ kind: "computed_trait", computedTraitId: trait.id, type: "number", op: "gte", value: 2 }) });
    const dependent = await createSegment({ workspaceId: ws, userId: null, name: "In counted twice", rule: and({ kind: "segment", segmentId: segment.id, member: true }) });
    expect(await members(ws, segment.id)).toEqual([]);
    await saveComputedTrait({ workspaceId: ws, traitId: trait.id, name: "Events counted", definition: { fn: "count", event: "Page Viewed", window: { type: "ever" } } });
    expect(await members(ws, segment.id)).toEqual([await ownerOf(ws, "user_id", "ct-user")]);
    expect(await members(ws, dependent.id)).toEqual([await ownerOf(ws, "user_id", "ct-user")]);
    const [change] = await q<{ cause: string }>(`SELECT cause FROM segment_membership_changes WHERE workspace_id = $1 AND segment_id = $2`, [ws, segment.id]);
    expect(change.cause).toBe("rule_changed");
  });
});
