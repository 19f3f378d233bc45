// The pipeline against a real PostgreSQL: events sent through the tracking API are resolved into
// profiles — anonymous-to-known, merges with a ledger, limits and blocked values, traits with
// lineage and survivorship, accounts — exactly once, even when a batch fails midway.
import { describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/pool";
import { createTestSource, trackingServerForTests } from "@/lib/ingest/test-tracking-server";
import { pipelineLag } from "@/lib/pipeline/pipeline-lag";
import { drainFollowUps } from "@/lib/pipeline/pipeline-follow-ups";
import { drainPipeline, processPipelineBatch, resolvePipelineBatch } from "@/lib/pipeline/process-pipeline-batch";
import { profileUpdateSteps, type ProfileUpdate } from "@/lib/pipeline/profile-update-steps";
import { unmergeProfile } from "@/lib/identity/unmerge-profile";
import { DEFAULT_IDENTITY_SETTINGS } from "@/lib/identity/identity-settings";

const server = trackingServerForTests();

const send = (writeKey: string, batch: Record<string, unknown>[]) => server.send(writeKey, batch);

const drain = () => drainPipeline();

const q = async <T = Record<string, unknown>>(sql: string, args: unknown[] = []) => (await getPool().query(sql, args)).rows as T[];

/** The live profile owning an identifier, with its identifiers and traits. */
async function profileOf(workspaceId: string, type: string, value: string) {
  const [row] = await q<{ profile_id: string }>(`SELECT profile_id FROM identities WHERE workspace_id = $1 AND type = $2 AND value = $3`, [workspaceId, type, value]);
  if (!row) return null;
  const [profile] = await q<{ id: string; traits: Record<string, unknown>; event_count: number; merge_count: number; merged_into_id: string | null }>(
    `SELECT id, traits, event_count, merge_count, merged_into_id FROM profiles WHERE workspace_id = $1 AND id = $2`,
    [workspaceId, row.profile_id],
  );
  const identifiers = (await q<{ t: string }>(`SELECT type || ':' || value AS t FROM identities WHERE workspace_id = $1 AND profile_id = $2 ORDER BY 1`, [workspaceId, profile.id])).map((r) => r.t);
  return { ...profile, identifiers };
}

/** A profile's timeline: the events of its identifiers, newest first. */
async function timeline(workspaceId: string, profileId: string) {
  return (await q<{ message_id: string }>(
    `SELECT e.message_id FROM identities i
     JOIN event_identities a ON a.workspace_id = i.workspace_id AND a.identity_id = i.id
     JOIN events e ON e.workspace_id = a.workspace_id AND e.id = a.event_id AND e.received_at = a.received_at
     WHERE i.workspace_id = $1 AND i.profile_id = $2 ORDER BY a.timestamp DESC, e.id DESC`,
    [workspaceId, profileId],
  )).map((r) => r.message_id);
}

/** Where the explorer's sort keys (profile_activity) disagree with the live profiles: none, or the profile ids. */
async function activityMismatches(workspaceId: string) {
  return (await q<{ id: string }>(
    `SELECT coalesce(p.id, a.profile_id)::text AS id FROM (SELECT * FROM profiles WHERE workspace_id = $1 AND merged_into_id IS NULL) p
     FULL JOIN (SELECT * FROM profile_activity WHERE workspace_id = $1) a ON a.profile_id = p.id
     WHERE p.id IS NULL OR a.profile_id IS NULL OR (a.kind, a.last_seen_at, a.event_count) IS DISTINCT FROM (p.kind, p.last_seen_at, p.event_count)`,
    [workspaceId],
  )).map((r) => r.id);
}

const at = (minute: number) => new Date(Date.UTC(2026, 10, 1, 10, minute)).toISOString();

describe("pipeline", () => {
  it("joins an anonymous visitor's earlier events to the profile they identify into", async () => {
    const s = await createTestSource();
    await send(s.writeKey, [
      { type: "page", messageId: "m1", anonymousId: "anon-1", name: "Home", timestamp: at(1) },
      { type: "track", messageId: "m2", anonymousId: "anon-1", event: "Product Viewed", timestamp: at(2) },
    ]);
    await drain();
    await send(s.writeKey, [{ type: "identify", messageId: "m3", anonymousId: "anon-1", userId: "u-1", traits: { email: " Ann@Example.COM ", name: "Ann" }, timestamp: at(3) }]);
    expect((await pipelineLag({ workspaceId: s.workspaceId })).unprocessedEvents).toBe(1);
    await drain();
    expect(await pipelineLag({ workspaceId: s.workspaceId })).toEqual({ oldestUnprocessedSeconds: 0, unprocessedEvents: 0 });

    const p = (await profileOf(s.workspaceId, "user_id", "u-1"))!;
    expect(p.identifiers).toEqual(["anonymous_id:anon-1", "email:ann@example.com", "user_id:u-1"]);
    expect(p).toMatchObject({ event_count: 3, merge_count: 0, merged_into_id: null, traits: { email: " Ann@Example.COM ", name: "Ann" } });
    expect(await timeline(s.workspaceId, p.id)).toEqual(["m3", "m2", "m1"]);
    expect((await profileOf(s.workspaceId, "email", "ann@example.com"))!.id).toBe(p.id);
  });

  it("merges two profiles an event links, records the ledger, and moves the timeline", async () => {
    const s = await createTestSource();
    await send(s.writeKey, [
      { type: "identify", messageId: "w1", anonymousId: "web-1", traits: { email: "bo@x.io", plan: "free" }, timestamp: at(1) },
      { type: "identify", messageId: "c1", anonymousId: "crm-1", traits: { phone: "+1 201-234-5678", plan: "pro" }, timestamp: at(2) },
    ]);
    await drain();
    const web = (await profileOf(s.workspaceId, "anonymous_id", "web-1"))!;
    const crm = (await profileOf(s.workspaceId, "anonymous_id", "crm-1"))!;
    expect(web.id).not.toBe(crm.id);

    await send(s.writeKey, [{ type: "identify", messageId: "l1", userId: "bo", traits: { email: "BO@x.io", phone: "(201) 234-5678" }, timestamp: at(3) }]);
    await drain();
    const merged = (await profileOf(s.workspaceId, "user_id", "bo"))!;
    expect(merged.identifiers).toEqual(["anonymous_id:crm-1", "anonymous_id:web-1", "email:bo@x.io", "phone:+12012345678", "user_id:bo"]);
    expect(merged).toMatchObject({ event_count: 3, merge_count: 1, traits: { plan: "pro", email: "BO@x.io", phone: "(201) 234-5678" } });
    expect(await timeline(s.workspaceId, merged.id)).toEqual(["l1", "c1", "w1"]);
    const survivor = merged.id;
    const gone = survivor === web.id ? crm.id : web.id;
    const [loser] = await q(`SELECT merged_into_id FROM profiles WHERE workspace_id = $1 AND id = $2`, [s.workspaceId, gone]);
    expect(loser.merged_into_id).toBe(survivor);
    // The explorer lists the survivor with all three events, and the merged-away profile no more.
    expect(await activityMismatches(s.workspaceId)).toEqual([]);
    expect(await q(`SELECT profile_id, event_count FROM profile_activity WHERE workspace_id = $1`, [s.workspaceId])).toEqual([{ profile_id: survivor, event_count: 3 }]);
    const ledger = await q<{ survivor_id: string; merged_id: string; message_id: string; linked_by: unknown; n: number }>(
      `SELECT survivor_id, merged_id, message_id, linked_by, cardinality(identity_ids) AS n FROM profile_merges WHERE workspace_id = $1`,
      [s.workspaceId],
    );
    expect(ledger).toEqual([{ survivor_id: survivor, merged_id: gone, message_id: "l1", linked_by: [expect.any(Object), expect.any(Object)], n: 2 }]);
    // lineage: the surviving plan came from the CRM message
    const [{ plan }] = await q<{ plan: { n?: number }[] }>(`SELECT candidates->'plan' AS plan FROM profile_trait_candidates WHERE workspace_id = $1 AND profile_id = $2`, [s.workspaceId, survivor]);
    expect(plan).toEqual(expect.arrayContaining([expect.objectContaining({ v: "pro", m: "c1" }), expect.objectContaining({ v: "free" })]));
    expect(plan.map((c) => c.n ?? 1)).toEqual([1, 1]); // each value seen once
  });

  it("keeps both profiles' trait candidates when a merge comes from an event without traits, and traits through events without any", async () => {
    const s = await createTestSource();
    await send(s.writeKey, [
      { type: "identify", messageId: "t1", anonymousId: "tab-1", traits: { plan: "free", city: "Lyon" }, timestamp: at(1) },
      { type: "identify", messageId: "t2", userId: "cy", traits: { company: "Acme" }, timestamp: at(2) },
    ]);
    await drain();
    // Only counters move for most events; this one also merges, so the survivor's document must be written.
    await send(s.writeKey, [{ type: "track", messageId: "t3", anonymousId: "tab-1", userId: "cy", event: "Signed In", timestamp: at(3) }]);
    await drain();
    const merged = (await profileOf(s.workspaceId, "user_id", "cy"))!;
    const [{ keys }] = await q<{ keys: string[] }>(`SELECT array(SELECT jsonb_object_keys(candidates) ORDER BY 1) AS keys FROM profile_trait_candidates WHERE workspace_id = $1 AND profile_id = $2`, [s.workspaceId, merged.id]);
    expect(keys).toEqual(["city", "company", "plan"]);
    await send(s.writeKey, [{ type: "identify", messageId: "t4", userId: "cy", traits: { plan: "pro" }, timestamp: at(4) }]);
    await drain();
    expect((await profileOf(s.workspaceId, "user_id", "cy"))!.traits).toEqual({ plan: "pro", city: "Lyon", company: "Acme" });
    // A batch of events without traits moves the counters and leaves the traits (and their document) alone.
    await send(s.writeKey, [{ type: "track", messageId: "t5", userId: "cy", event: "Page Viewed", timestamp: at(5) }]);
    await drain();
    expect(await profileOf(s.workspaceId, "user_id", "cy")).toMatchObject({ event_count: 5, traits: { plan: "pro", city: "Lyon", company: "Acme" } });
    const [{ n }] = await q<{ n: number }>(`SELECT jsonb_array_length(candidates->'plan') AS n FROM profile_trait_candidates WHERE workspace_id = $1 AND profile_id = $2`, [s.workspaceId, merged.id]);
    expect(n).toBe(2);
  });

  it("never merges through blocked values, and logs a conflict instead of giving a profile two user ids", async () => {
    const s = await createTestSource();
    await send(s.writeKey, [
      { type: "identify", messageId: "b1", userId: "u-a", traits: { email: "null" }, context: { device: { id: "00000000-0000-0000-0000-000000000000" } }, timestamp: at(1) },
      { type: "identify", messageId: "b2", userId: "u-b", traits: { email: "null" }, context: { device: { id: "00000000-0000-0000-0000-000000000000" } }, timestamp: at(2) },
      { type: "track", messageId: "b3", userId: "u-a", anonymousId: "shared-anon", event: "E", timestamp: at(3) },
      { type: "track", messageId: "b4", userId: "u-b", anonymousId: "shared-anon", event: "E", timestamp: at(4) },
    ]);
    await drain();
    const a = (await profileOf(s.workspaceId, "user_id", "u-a"))!;
    const b = (await profileOf(s.workspaceId, "user_id", "u-b"))!;
    expect(a.id).not.toBe(b.id);
    expect(a.identifiers).toEqual(["anonymous_id:shared-anon", "user_id:u-a"]);
    expect(b.identifiers).toEqual(["user_id:u-b"]);
    expect(await q(`SELECT identifier_type, identifier_value, reason, message_id FROM identity_conflicts WHERE workspace_id = $1`, [s.workspaceId])).toEqual([
      { identifier_type: "anonymous_id", identifier_value: "shared-anon", reason: "type_limit", message_id: "b4" },
    ]);
    expect(await timeline(s.workspaceId, b.id)).toEqual(["b4", "b2"]);
  });

  it("creates accounts from group calls and links their users", async () => {
    const s = await createTestSource();
    await send(s.writeKey, [
      { type: "group", messageId: "g1", userId: "u-1", groupId: "acme", traits: { name: "Acme Inc", plan: "enterprise" }, timestamp: at(1) },
      { type: "group", messageId: "g2", userId: "u-2", groupId: "acme", traits: { employees: 120 }, timestamp: at(2) },
    ]);
    await drain();
    const account = (await profileOf(s.workspaceId, "group_id", "acme"))!;
    expect(account).toMatchObject({ traits: { name: "Acme Inc", plan: "enterprise", employees: 120 }, event_count: 2 });
    const [{ kind }] = await q(`SELECT kind::text FROM profiles WHERE workspace_id = $1 AND id = $2`, [s.workspaceId, account.id]);
    expect(kind).toBe("account");
    const links = await q(`SELECT user_profile_id FROM profile_links WHERE workspace_id = $1 AND account_profile_id = $2`, [s.workspaceId, account.id]);
    expect(links).toHaveLength(2);
  });

  it("applies a batch exactly once when either stage fails midway and is retried", async () => {
    const s = await createTestSource();
    await send(s.writeKey, [
      { type: "identify", messageId: "x1", userId: "u-x", traits: { email: "x@x.io" }, timestamp: at(1) },
      { type: "track", messageId: "x2", userId: "u-x", event: "E", timestamp: at(2) },
    ]);
    // The first stage fails at its last write (queueing the follow-up): nothing of it stays.
    const fail = `fail_follow_up_${s.workspaceId.replaceAll("-", "")}`;
    await q(`CREATE FUNCTION ${fail}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.workspace_id = '${s.workspaceId}' THEN RAISE EXCEPTION 'worker died'; END IF; RETURN NEW; END $$`);
    await q(`CREATE TRIGGER ${fail} BEFORE INSERT ON pipeline_follow_ups FOR EACH ROW EXECUTE FUNCTION ${fail}()`);
    try {
      await expect(processPipelineBatch()).rejects.toThrow("worker died");
    } finally {
      await q(`DROP TRIGGER ${fail} ON pipeline_follow_ups`);
      await q(`DROP FUNCTION ${fail}()`);
    }
    expect(await profileOf(s.workspaceId, "user_id", "u-x")).toBeNull();
    expect((await pipelineLag({ workspaceId: s.workspaceId })).unprocessedEvents).toBe(2);

    // The second stage fails (a profile-update step throws): the batch is resolved, its follow-up
    // (timeline, daily counts, steps) stays queued and still counts as lag.
    const crash = { name: "crash", run: async () => { throw new Error("worker died"); } };
    await expect(processPipelineBatch({ steps: [crash] })).rejects.toThrow("worker died");
    const resolved = (await profileOf(s.workspaceId, "user_id", "u-x"))!;
    expect(resolved.event_count).toBe(2);
    expect(await timeline(s.workspaceId, resolved.id)).toEqual([]);
    expect((await pipelineLag({ workspaceId: s.workspaceId })).unprocessedEvents).toBe(2);

    await drain();
    await drain();
    const p = (await profileOf(s.workspaceId, "user_id", "u-x"))!;
    expect(p.event_count).toBe(2);
    expect(await timeline(s.workspaceId, p.id)).toEqual(["x2", "x1"]);
    expect(await q(`SELECT event, count FROM profile_event_days WHERE workspace_id = $1 AND profile_id = $2`, [s.workspaceId, p.id])).toEqual([{ event: "E", count: 1 }]);
    expect(await pipelineLag({ workspaceId: s.workspaceId })).toEqual({ oldestUnprocessedSeconds: 0, unprocessedEvents: 0 });
    const [{ email }] = await q<{ email: { n?: number }[] }>(`SELECT candidates->'email' AS email FROM profile_trait_candidates WHERE workspace_id = $1 AND profile_id = $2`, [s.workspaceId, p.id]);
    expect(email).toEqual([expect.objectContaining({ v: "x@x.io", m: "x1" })]);
    expect(email[0].n ?? 1).toBe(1); // observed once, not once per attempt
  });

  it("applies follow-ups queued behind each other together, counting events on profiles a later batch merged away", async () => {
    const s = await createTestSource();
    // A merges into B (the email is stronger than A's anonymous id), then B into U (the user id is
    // stronger than B's email): the days of A go to U, where B went.
    const batches = [
      { type: "track", messageId: "g1", anonymousId: "a-g", event: "Viewed", timestamp: at(1) },
      { type: "identify", messageId: "g2", anonymousId: "b-g", traits: { email: "g@x.io" }, timestamp: at(2) },
      { type: "track", messageId: "g3", anonymousId: "b-g", event: "Viewed", timestamp: at(3) },
      { type: "identify", messageId: "g4", anonymousId: "a-g", traits: { email: "g@x.io" }, timestamp: at(4) },
      { type: "track", messageId: "g5", userId: "u-g", event: "Ordered", timestamp: at(5) },
      { type: "identify", messageId: "g6", userId: "u-g", traits: { email: "g@x.io" }, timestamp: at(6) },
    ];
    // The first stage runs ahead: six batches resolved (two merges), none of their follow-ups applied.
    for (const b of batches) {
      await send(s.writeKey, [b]);
      await resolvePipelineBatch();
    }
    expect(await q(`SELECT count(*)::int AS n FROM profile_merges WHERE workspace_id = $1`, [s.workspaceId])).toEqual([{ n: 2 }]);
    const runs: number[] = [];
    const count = { name: "count", run: async (u: ProfileUpdate) => void runs.push(u.events.length) };
    await drainFollowUps(s.workspaceId, { steps: [count, ...profileUpdateSteps()] });
    expect(runs).toEqual([6]);

    const p = (await profileOf(s.workspaceId, "user_id", "u-g"))!;
    expect(p.identifiers).toEqual(["anonymous_id:a-g", "anonymous_id:b-g", "email:g@x.io", "user_id:u-g"]);
    expect(await timeline(s.workspaceId, p.id)).toEqual(["g6", "g5", "g4", "g3", "g2", "g1"]);
    expect(await q(`SELECT profile_id, event, count FROM profile_event_days WHERE workspace_id = $1 ORDER BY event`, [s.workspaceId])).toEqual([
      { profile_id: p.id, event: "Ordered", count: 1 },
      { profile_id: p.id, event: "Viewed", count: 2 },
    ]);
    expect(await activityMismatches(s.workspaceId)).toEqual([]);
  });

  it("unmerges: the merged profile comes back with its identifiers, events and traits, and re-sent events keep them apart", async () => {
    const s = await createTestSource();
    const link = { type: "identify", userId: "cy", traits: { email: "cy@x.io", phone: "(201) 234-5679" }, timestamp: at(3) };
    await send(s.writeKey, [
      { type: "identify", messageId: "w1", anonymousId: "web-1", traits: { email: "cy@x.io", plan: "free" }, timestamp: at(1) },
      { type: "identify", messageId: "c1", anonymousId: "crm-1", traits: { phone: "+1 201-234-5679", plan: "pro" }, timestamp: at(2) },
    ]);
    await drain();
    await send(s.writeKey, [{ ...link, messageId: "l1" }]);
    await drain();
    const merged = (await profileOf(s.workspaceId, "user_id", "cy"))!;
    expect(merged.identifiers).toHaveLength(5);

    await expect(unmergeProfile({ workspaceId: s.workspaceId, profileId: merged.id, identifier: { type: "email", value: "nobody@x.io" } })).rejects.toThrow("not on this profile");
    const seenBySteps: { profileIds: string[]; traits: unknown }[] = [];
    const step = {
      name: "memberships",
      run: async (u: ProfileUpdate) => {
        const { rows } = await u.client.query(`SELECT traits FROM profiles WHERE workspace_id = $1 AND id = $2`, [u.workspaceId, u.profileIds[1]]);
        seenBySteps.push({ profileIds: u.profileIds, traits: rows[0].traits });
      },
    };
    const result = await unmergeProfile({ workspaceId: s.workspaceId, profileId: merged.id, identifier: { type: "phone", value: "+12012345679" }, steps: [step] });
    expect(result.undoneMergeId).not.toBeNull();
    // The profile-update steps (segment memberships) ran on both profiles, seeing the rebuilt traits.
    expect(seenBySteps).toEqual([{ profileIds: [merged.id, result.splitProfileId], traits: expect.objectContaining({ plan: "pro" }) }]);

    const check = async () => {
      const kept = (await profileOf(s.workspaceId, "user_id", "cy"))!;
      const split = (await profileOf(s.workspaceId, "phone", "+12012345679"))!;
      expect(kept.id).toBe(merged.id);
      expect(split.id).toBe(result.splitProfileId);
      expect(kept.identifiers).toEqual(["anonymous_id:web-1", "email:cy@x.io", "user_id:cy"]);
      expect(split.identifiers).toEqual(["anonymous_id:crm-1", "phone:+12012345679"]);
      expect(split).toMatchObject({ merged_into_id: null, event_count: 1, traits: { plan: "pro", phone: "+1 201-234-5679" } });
      expect(kept.traits).toMatchObject({ plan: "free", email: "cy@x.io" });
      expect(await timeline(s.workspaceId, split.id)).toEqual(["c1"]);
      return { kept, split };
    };
    const first = await check();
    expect(first.kept).toMatchObject({ merge_count: 0 });
    // The explorer lists both again, with their rebuilt counters.
    expect(await activityMismatches(s.workspaceId)).toEqual([]);
    expect((await q(`SELECT event_count FROM profile_activity WHERE workspace_id = $1 AND profile_id = $2`, [s.workspaceId, first.split.id]))).toEqual([{ event_count: 1 }]);

    // The same events again: the identical message is deduplicated, a new copy is kept apart.
    await send(s.writeKey, [{ ...link, messageId: "l1" }, { ...link, messageId: "l2" }]);
    await drain();
    const again = await check();
    expect(await timeline(s.workspaceId, again.kept.id)).toEqual(["l2", "l1", "w1"]);
    const conflicts = await q(`SELECT reason, message_id FROM identity_conflicts WHERE workspace_id = $1`, [s.workspaceId]);
    expect(conflicts).toEqual([{ reason: "unmerged", message_id: "l2" }]);
    expect(await activityMismatches(s.workspaceId)).toEqual([]);
  });

  it("survives a merge storm: one email shared by 10,000 profiles hits the merge cap, is logged, and never over-merges", async () => {
    const s = await createTestSource();
    const n = 10_000;
    // Raise the anonymous_id limit (default 100) so that the merge cap (100 merges) is what stops it.
    await q(`INSERT INTO identity_settings (workspace_id, settings, updated_at) VALUES ($1, $2, now())`, [s.workspaceId, { limits: { ...DEFAULT_IDENTITY_SETTINGS.limits, anonymous_id: 1000 } }]);
    const sendAll = async (make: (i: number) => Record<string, unknown>) => {
      for (let i = 0; i < n; i += 500) await send(s.writeKey, Array.from({ length: Math.min(500, n - i) }, (_, k) => make(i + k)));
    };
    await sendAll((i) => ({ type: "track", messageId: `v${i}`, anonymousId: `visitor-${i}`, event: "Visited", timestamp: at(1) }));
    let started = performance.now();
    await drain();
    const normal = n / ((performance.now() - started) / 1000);
    await sendAll((i) => ({ type: "identify", messageId: `t${i}`, anonymousId: `visitor-${i}`, traits: { email: "test@example.com" }, timestamp: at(2) }));
    started = performance.now();
    await drain();
    const storm = n / ((performance.now() - started) / 1000);
    console.log(`merge storm: ${normal.toFixed(0)} events/s before, ${storm.toFixed(0)} events/s during the storm`);

    const hub = (await profileOf(s.workspaceId, "email", "test@example.com"))!;
    expect(hub.merge_count).toBe(100);
    expect(hub.identifiers).toHaveLength(1 + 101);
    const [{ reasons }] = await q(`SELECT jsonb_object_agg(reason, n) AS reasons FROM (SELECT reason, count(*)::int AS n FROM identity_conflicts WHERE workspace_id = $1 GROUP BY reason) c`, [s.workspaceId]);
    expect(reasons).toEqual({ merge_cap: n - 101 });
    const [{ live }] = await q(`SELECT count(*)::int AS live FROM profiles WHERE workspace_id = $1 AND merged_into_id IS NULL`, [s.workspaceId]);
    expect(live).toBe(n - 100);
    expect(await pipelineLag({ workspaceId: s.workspaceId })).toMatchObject({ unprocessedEvents: 0 });
  }, 120_000);
});
