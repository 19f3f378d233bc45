// Computed traits against a real PostgreSQL, with events sent through the tracking API and resolved
// by the pipeline: every function's value, windows measured against an injected clock (values drop
// out after the sweep once their events age out), incremental updates after pipeline batches equal
// a full recomputation, merges combine both profiles' events (and an unmerge splits them again),
// and one broken trait never stops the others.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/pool";
import { computeComputedTrait } from "@/lib/computed-traits/compute-computed-trait";
import { parseComputedTraitDefinition, type ComputedTraitDefinition } from "@/lib/computed-traits/computed-trait-definition";
import { createComputedTraitsStep } from "@/lib/computed-traits/computed-traits-step";
import { getComputedTrait } from "@/lib/computed-traits/get-computed-trait";
import { listComputedTraits } from "@/lib/computed-traits/list-computed-traits";
import { readComputedTraits } from "@/lib/computed-traits/read-computed-traits";
import { deleteComputedTrait, saveComputedTrait } from "@/lib/computed-traits/save-computed-trait";
import { sweepComputedTraits } from "@/lib/computed-traits/sweep-computed-traits";
import { AppError } from "@/lib/errors";
import { unmergeProfile } from "@/lib/identity/unmerge-profile";
import { getProfile360 } from "@/lib/profiles/profile-360";
import { createTestSource, trackingServerForTests } from "@/lib/ingest/test-tracking-server";
import { processPipelineBatch } from "@/lib/pipeline/process-pipeline-batch";
import type { ProfileUpdateStep } from "@/lib/pipeline/profile-update-steps";

const server = trackingServerForTests();
const q = async <T = Record<string, unknown>>(sql: string, args: unknown[] = []) => (await getPool().query(sql, args)).rows as T[];

/** Midday UTC on a day of November 2026 (the clock of these tests; events are in the past). */
const day = (d: number, hour = 12) => new Date(Date.UTC(2026, 10, d, hour));
const NOW = day(20);

async function drain(steps: ProfileUpdateStep[]) {
  while (await processPipelineBatch({ steps })) {
    // until no batch is left
  }
}

async function profileIdOf(workspaceId: string, type: string, value: string): Promise<string> {
  const [row] = await q<{ profile_id: string }>(`SELECT profile_id FROM identities WHERE workspace_id = $1 AND type = $2 AND value = $3`, [workspaceId, type, value]);
  expect(row, `${type}:${value}`).toBeDefined();
  return row.profile_id;
}

/** key → value of a profile's computed traits. */
async function valuesOf(workspaceId: string, profileId: string): Promise<Record<string, unknown>> {
  return Object.fromEntries((await readComputedTraits({ workspaceId, profileId })).map((v) => [v.key, v.value]));
}

/** All values of a workspace, as "trait key|profile → value" (to compare two computations). */
async function snapshot(workspaceId: string) {
  const rows = await q<{ key: string; profile_id: string; value: unknown }>(
    `SELECT t.key, v.profile_id, v.value FROM computed_trait_values v JOIN computed_traits t ON t.workspace_id = v.workspace_id AND t.id = v.computed_trait_id
     WHERE v.workspace_id = $1 ORDER BY 1, 2`,
    [workspaceId],
  );
  return Object.fromEntries(rows.map((r) => [`${r.key}|${r.profile_id}`, r.value]));
}

const track = (userId: string, event: string, properties: Record<string, unknown>, at: Date, extra: Record<string, unknown> = {}) => ({
  type: "track", messageId: randomUUID(), userId, event, properties, timestamp: at.toISOString(), ...extra,
});

const save = (workspaceId: string, name: string, definition: ComputedTraitDefinition | Record<string, unknown>, now = NOW) => saveComputedTrait({ workspaceId, name, definition, now });

describe("computed traits", () => {
  it("computes each function: counts, sums, averages, extremes, first, last and most frequent values", async () => {
    const s = await createTestSource();
    const step = createComputedTraitsStep(() => NOW);
    await server.send(s.writeKey, [
      track("u-1", "Order Completed", { total: 10, currency: "EUR", city: "Berlin" }, day(2)),
      track("u-1", "Order Completed", { total: "30.5", currency: "eur", city: "Paris" }, day(5)),
      track("u-1", "Order Completed", { total: 20, currency: "USD", city: "Paris" }, day(9)),
      track("u-1", "Order Completed", { currency: "EUR", city: "Berlin", email: "ann@example.com" }, day(12)),
      track("u-1", "Order Completed", { total: "n/a", city: "Rome" }, day(15)),
      track("u-1", "Product Viewed", { total: 999 }, day(15)),
      track("u-2", "Product Viewed", { sku: "A" }, day(3)),
    ]);
    await drain([step]);
    const ws = s.workspaceId;
    const order = (fn: string, extra: Record<string, unknown> = {}) => ({ fn, event: "Order Completed", window: { type: "ever" }, ...extra });
    await save(ws, "Orders", order("count"));
    await save(ws, "Lifetime value", order("sum", { property: "total" }));
    await save(ws, "Average order", order("avg", { property: "total" }));
    await save(ws, "Smallest order", order("min", { property: "total" }));
    await save(ws, "Largest order", order("max", { property: "total" }));
    await save(ws, "First city", order("first", { property: "city" }));
    await save(ws, "Last city", order("last", { property: "city" }));
    await save(ws, "Favourite city", order("most_frequent", { property: "city" }));
    await save(ws, "Order email", order("last", { property: "email" }));
    await save(ws, "Euro orders", order("count", { where: [{ property: "currency", type: "string", op: "equals", value: "EUR" }] }));
    await save(ws, "Big orders", order("count", { where: [{ property: "total", type: "number", op: "gte", value: 20 }] }));
    await save(ws, "Orders in the week", order("count", { window: { type: "between", from: "2026-11-03", to: "2026-11-09" } }));
    await save(ws, "Orders since the 5th at noon", order("count", { window: { type: "between", from: "2026-11-05T12:00:00Z", to: "2026-11-30" } }));

    const u1 = await profileIdOf(ws, "user_id", "u-1");
    expect(await valuesOf(ws, u1)).toEqual({
      orders: 5,
      lifetime_value: 60.5,
      average_order: 60.5 / 3,
      smallest_order: 10,
      largest_order: 30.5,
      first_city: "Berlin",
      last_city: "Rome",
      // Berlin and Paris twice each: the one seen most recently wins.
      favourite_city: "Berlin",
      euro_orders: 3,
      big_orders: 2,
      order_email: "ann@example.com",
      orders_in_the_week: 2,
      orders_since_the_5th_at_noon: 4,
    });
    // The 360 page: values as text (numbers grouped, two decimals at most), by name, with the segments the profile is in.
    const segment = randomUUID();
    await q(`INSERT INTO segments (workspace_id, id, key, name, rule) VALUES ($1, $2, 'buyers', 'Buyers', '{}')`, [ws, segment]);
    await q(`INSERT INTO segment_memberships (workspace_id, segment_id, profile_id, entered_at) VALUES ($1, $2, $3, $4)`, [ws, segment, u1, NOW]);
    const p360 = (await getProfile360({ workspaceId: ws, profileId: u1, canSeePii: false }))!;
    expect(p360.computedTraits.find((t) => t.key === "average_order")).toMatchObject({ name: "Average order", value: "20.17", description: "Average of total over Order Completed, ever" });
    expect(p360.computedTraits.find((t) => t.key === "last_city")?.value).toBe("Rome");
    // A contact detail taken from events is masked like the trait it is.
    expect(p360.computedTraits.find((t) => t.key === "order_email")?.value).not.toContain("ann@example.com");
    expect((await getProfile360({ workspaceId: ws, profileId: u1, canSeePii: true }))!.computedTraits.find((t) => t.key === "order_email")?.value).toBe("ann@example.com");
    expect(p360.computedTraits.map((t) => t.name).slice(0, 3)).toEqual(["Average order", "Big orders", "Euro orders"]);
    expect(p360.segments).toEqual({ total: 1, items: [{ id: segment, name: "Buyers", key: "buyers", enteredAt: NOW.toISOString() }] });

    // u-2 never ordered: no values at all (not zeros).
    expect(await valuesOf(ws, await profileIdOf(ws, "user_id", "u-2"))).toEqual({});

    const list = await listComputedTraits({ workspaceId: ws, sort: "name" });
    expect(list.total).toBe(13);
    expect(list.rows.find((r) => r.key === "lifetime_value")).toMatchObject({ name: "Lifetime value", profiles: 1, description: "Sum of total over Order Completed, ever", lastError: null });
    expect(list.rows.find((r) => r.key === "euro_orders")?.description).toBe("Count of Order Completed, ever, where currency is EUR");
    expect(list.rows.find((r) => r.key === "orders")?.evaluatedAt?.toISOString()).toBe(NOW.toISOString());
  });

  it("measures 'the last N days' against the clock: values age out with the sweep, and new events bring them back", async () => {
    const s = await createTestSource();
    const ws = s.workspaceId;
    await server.send(s.writeKey, [
      track("u-1", "Order Completed", { total: 5 }, day(14, 23)),
      track("u-1", "Order Completed", { total: 7 }, day(18, 1)),
      track("u-2", "Order Completed", { total: 3 }, day(19)),
    ]);
    await drain([createComputedTraitsStep(() => NOW)]);
    const recent = await save(ws, "Orders in the last 7 days", { fn: "count", event: "Order Completed", window: { type: "last_days", days: 7 } });
    const spend = await save(ws, "Spend in the last 7 days", { fn: "sum", event: "Order Completed", property: "total", window: { type: "last_days", days: 7 } });
    await save(ws, "All orders", { fn: "count", event: "Order Completed", window: { type: "ever" } });
    const [u1, u2] = [await profileIdOf(ws, "user_id", "u-1"), await profileIdOf(ws, "user_id", "u-2")];
    // On the 20th, the last 7 days start on the 14th at midnight UTC.
    expect(await valuesOf(ws, u1)).toEqual({ orders_in_the_last_7_days: 2, spend_in_the_last_7_days: 12, all_orders: 2 });

    // Computed for today already: a second sweep the same day does nothing.
    expect(await sweepComputedTraits({ workspaceId: ws, now: day(20, 23) })).toEqual({ swept: 0, failed: [], remaining: 0 });
    // On the 21st the 14th has left the window: only the windowed traits are swept.
    expect(await sweepComputedTraits({ workspaceId: ws, now: day(21, 0) })).toEqual({ swept: 2, failed: [], remaining: 0 });
    expect(await valuesOf(ws, u1)).toEqual({ orders_in_the_last_7_days: 1, spend_in_the_last_7_days: 7, all_orders: 2 });
    expect((await getComputedTrait({ workspaceId: ws, traitId: recent.id }))?.evaluatedAt?.toISOString()).toBe(day(21, 0).toISOString());
    // A week later everything has aged out: the values are gone, the ever-count stays.
    await sweepComputedTraits({ workspaceId: ws, now: day(28) });
    expect(await valuesOf(ws, u1)).toEqual({ all_orders: 2 });
    expect(await valuesOf(ws, u2)).toEqual({ all_orders: 1 });
    expect((await getComputedTrait({ workspaceId: ws, traitId: spend.id }))?.profiles).toBe(0);

    // A new order on the 28th, processed by the pipeline with the clock on the 28th.
    await server.send(s.writeKey, [track("u-2", "Order Completed", { total: 4 }, day(28, 8))]);
    await drain([createComputedTraitsStep(() => day(28))]);
    expect(await valuesOf(ws, u2)).toEqual({ orders_in_the_last_7_days: 1, spend_in_the_last_7_days: 4, all_orders: 2 });
  });

  it("keeps values current incrementally: after pipeline batches they equal a full recomputation", async () => {
    const s = await createTestSource();
    const ws = s.workspaceId;
    const step = createComputedTraitsStep(() => NOW);
    const definitions: Record<string, ComputedTraitDefinition> = {
      "Orders": { fn: "count", event: "Order Completed", window: { type: "ever" } },
      "Recent orders": { fn: "count", event: "Order Completed", window: { type: "last_days", days: 5 } },
      "Spend": { fn: "sum", event: "Order Completed", property: "total", window: { type: "ever" } },
      "Average": { fn: "avg", event: "Order Completed", property: "total", window: { type: "last_days", days: 10 } },
      "Last plan": { fn: "last", event: "Plan Changed", property: "plan", window: { type: "ever" } },
      "Top category": { fn: "most_frequent", event: "Product Viewed", property: "category", window: { type: "ever" }, where: [{ property: "price", type: "number", op: "gt", value: 5 }] },
    };
    // Traits first (no events yet), then three rounds of events through the pipeline.
    for (const [name, d] of Object.entries(definitions)) await save(ws, name, d);
    const users = ["a", "b", "c", "d"];
    const categories = ["shoes", "hats", "bags"];
    for (let round = 0; round < 3; round += 1) {
      const batch = [];
      for (let i = 0; i < 24; i += 1) {
        const user = `u-${users[(i * 7 + round) % users.length]}`;
        const at = day(3 + ((i * 5 + round * 3) % 17), i % 24);
        if (i % 3 === 0) batch.push(track(user, "Order Completed", { total: (i * 13 + round) % 50 }, at));
        else if (i % 3 === 1) batch.push(track(user, "Product Viewed", { category: categories[(i + round) % 3], price: (i * 3) % 11 }, at));
        else batch.push(track(user, "Plan Changed", { plan: ["free", "pro", "team"][(i + round) % 3] }, at));
      }
      // An anonymous visitor who later identifies as u-a: a merge inside the rounds.
      batch.push(track("", "Product Viewed", { category: "hats", price: 9 }, day(10 + round), { userId: undefined, anonymousId: `anon-${round}` }));
      batch.push({ type: "identify", messageId: randomUUID(), anonymousId: `anon-${round}`, userId: "u-a", timestamp: day(11 + round).toISOString() });
      await server.send(s.writeKey, batch);
      await drain([step]);
    }
    const incremental = await snapshot(ws);
    expect(Object.keys(incremental).length).toBeGreaterThan(10);
    // No trait failed (a failure is recorded and skipped, which would make this comparison weaker).
    expect(await q(`SELECT key, last_error FROM computed_traits WHERE workspace_id = $1 AND last_error IS NOT NULL`, [ws])).toEqual([]);

    // The same traits computed from scratch for all profiles.
    const traits = await q<{ id: string; definition: unknown }>(`SELECT id, definition FROM computed_traits WHERE workspace_id = $1`, [ws]);
    await q(`DELETE FROM computed_trait_values WHERE workspace_id = $1`, [ws]);
    const client = await getPool().connect();
    try {
      for (const t of traits) await computeComputedTrait({ client, workspaceId: ws, trait: { id: t.id, definition: parseComputedTraitDefinition(t.definition)! }, now: NOW });
    } finally {
      client.release();
    }
    expect(await snapshot(ws)).toEqual(incremental);
  });

  it("combines both profiles' events when they merge, and splits them again on unmerge", async () => {
    const s = await createTestSource();
    const ws = s.workspaceId;
    const step = createComputedTraitsStep(() => NOW);
    await save(ws, "Orders", { fn: "count", event: "Order Completed", window: { type: "ever" } });
    await save(ws, "Spend", { fn: "sum", event: "Order Completed", property: "total", window: { type: "ever" } });
    await server.send(s.writeKey, [
      { type: "track", messageId: randomUUID(), anonymousId: "anon-m", event: "Order Completed", properties: { total: 5 }, timestamp: day(3).toISOString() },
      track("u-m", "Order Completed", { total: 10 }, day(4)),
      track("u-m", "Order Completed", { total: 20 }, day(5)),
    ]);
    await drain([step]);
    const anon = await profileIdOf(ws, "anonymous_id", "anon-m");
    const known = await profileIdOf(ws, "user_id", "u-m");
    expect(anon).not.toBe(known);
    expect(await valuesOf(ws, anon)).toEqual({ orders: 1, spend: 5 });

    // The link carries no order: the survivor still holds both profiles' orders.
    await server.send(s.writeKey, [{ type: "identify", messageId: randomUUID(), anonymousId: "anon-m", userId: "u-m", timestamp: day(6).toISOString() }]);
    await drain([step]);
    const survivor = await profileIdOf(ws, "user_id", "u-m");
    const mergedAway = survivor === anon ? known : anon;
    expect(await profileIdOf(ws, "anonymous_id", "anon-m")).toBe(survivor);
    expect(await valuesOf(ws, survivor)).toEqual({ orders: 3, spend: 35 });
    expect(await valuesOf(ws, mergedAway)).toEqual({});

    // The unmerge gives the anonymous profile its order back.
    const split = await unmergeProfile({ workspaceId: ws, profileId: survivor, identifier: { type: "anonymous_id", value: "anon-m" }, steps: [step] });
    expect(await valuesOf(ws, split.profileId)).toEqual({ orders: 2, spend: 30 });
    expect(await valuesOf(ws, split.splitProfileId)).toEqual({ orders: 1, spend: 5 });
  });

  it("records a broken trait's error and goes on with the others", async () => {
    const s = await createTestSource();
    const ws = s.workspaceId;
    await server.send(s.writeKey, [track("u-1", "Order Completed", { total: 1 }, day(19))]);
    await drain([createComputedTraitsStep(() => NOW)]);
    const good = await save(ws, "Orders this week", { fn: "count", event: "Order Completed", window: { type: "last_days", days: 7 } });
    const broken = randomUUID();
    await q(`INSERT INTO computed_traits (workspace_id, id, key, name, definition) VALUES ($1, $2, 'broken', 'Broken', $3)`, [ws, broken, JSON.stringify({ fn: "median", event: "Order Completed", window: { type: "last_days", days: 3 } })]);
    const result = await sweepComputedTraits({ workspaceId: ws, now: day(21) });
    expect(result.swept).toBe(1);
    expect(result.failed).toEqual([{ workspaceId: ws, traitId: broken, error: expect.stringContaining("not valid") }]);
    expect((await getComputedTrait({ workspaceId: ws, traitId: broken }))?.lastError).toMatch(/not valid/);
    expect(await getComputedTrait({ workspaceId: ws, traitId: good.id })).toMatchObject({ lastError: null, profiles: 1 });

    // The pipeline step skips it too, and keeps the good one current.
    await server.send(s.writeKey, [track("u-1", "Order Completed", { total: 2 }, day(20))]);
    await drain([createComputedTraitsStep(() => day(21))]);
    expect(await valuesOf(ws, await profileIdOf(ws, "user_id", "u-1"))).toEqual({ orders_this_week: 2 });
  });

  it("derives a unique key from the name, says what is wrong with a definition, and refuses to delete a trait a segment uses", async () => {
    const s = await createTestSource();
    const ws = s.workspaceId;
    const created = await save(ws, "Lifetime value", { fn: "sum", event: "Order Completed", property: "total", window: { type: "ever" } });
    expect(created).toMatchObject({ key: "lifetime_value", valued: 0, error: null });
    await expect(save(ws, "Lifetime  Value", { fn: "count", event: "Order Completed", window: { type: "ever" } })).rejects.toMatchObject({
      code: "conflict",
      fieldErrors: { name: [expect.stringContaining('"lifetime_value" is already used by the computed trait "Lifetime value"')] },
    });
    const invalid = await save(ws, " ", { fn: "sum", event: "", window: { type: "last_days", days: 0 } }).catch((e: AppError) => e);
    expect(invalid).toBeInstanceOf(AppError);
    expect((invalid as AppError).fieldErrors).toEqual({
      name: ["Enter a name."],
      event: ["Enter an event name."],
      "window.days": ["Use at least 1 day."],
      property: ["Enter the property to take the sum of."],
    });
    const between = await save(ws, "Between", { fn: "count", event: "X", window: { type: "between", from: "2026-02-30", to: "2026-01-01" } }).catch((e: AppError) => e);
    expect((between as AppError).fieldErrors).toEqual({ "window.from": ["Use a date like 2026-11-29."] });

    // Renaming keeps the key; a changed definition bumps the version.
    const renamed = await saveComputedTrait({ workspaceId: ws, traitId: created.id, name: "Revenue", definition: { fn: "sum", event: "Order Completed", property: "amount", window: { type: "ever" } } });
    expect(renamed.key).toBe("lifetime_value");
    expect(await getComputedTrait({ workspaceId: ws, traitId: created.id })).toMatchObject({ name: "Revenue", version: 2 });

    const segment = randomUUID();
    await q(`INSERT INTO segments (workspace_id, id, key, name, rule) VALUES ($1, $2, 'big_spenders', 'Big spenders', $3)`, [
      ws, segment, JSON.stringify({ kind: "group", op: "and", negate: false, children: [{ kind: "computed_trait", computedTraitId: created.id, type: "number", op: "gt", value: 100 }] }),
    ]);
    await expect(deleteComputedTrait({ workspaceId: ws, traitId: created.id })).rejects.toMatchObject({ code: "conflict", message: expect.stringContaining('"Big spenders"') });
    await expect(save(ws, "Big spenders", { fn: "count", event: "X", window: { type: "ever" } })).rejects.toMatchObject({ code: "conflict" });
    await q(`DELETE FROM segments WHERE workspace_id = $1 AND id = $2`, [ws, segment]);
    await deleteComputedTrait({ workspaceId: ws, traitId: created.id });
    expect(await getComputedTrait({ workspaceId: ws, traitId: created.id })).toBeNull();
    // Nothing of it is visible from another workspace.
    const other = await createTestSource();
    const foreign = await save(other.workspaceId, "Orders", { fn: "count", event: "Order Completed", window: { type: "ever" } });
    expect(await getComputedTrait({ workspaceId: ws, traitId: foreign.id })).toBeNull();
    await expect(deleteComputedTrait({ workspaceId: ws, traitId: foreign.id })).rejects.toMatchObject({ code: "not_found" });
  });
});
