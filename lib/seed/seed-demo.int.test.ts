import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/prisma";
import { closePool, getPool } from "@/lib/db/pool";
import { useFreshDatabase } from "@/lib/db/test-database";
import { generatePopulation } from "@/lib/identity/synthetic-population";
import { drainPipeline } from "@/lib/pipeline/process-pipeline-batch";
import { DEMO_SEGMENTS } from "@/lib/seed/demo-segments";
import { DEMO_POPULATION, DEMO_SOURCES, DEMO_WORKSPACE, seedDemo } from "@/lib/seed/seed-demo";
import { evaluateSegment } from "@/lib/segments/evaluate-segments";

const PEOPLE = 120;
const now = new Date(Date.now() - 3_600_000);
const start = new Date(now.getTime() - DEMO_POPULATION.days * 86_400_000);
const population = generatePopulation({ seed: DEMO_POPULATION.seed, people: PEOPLE, start, days: DEMO_POPULATION.days });

let drop: () => Promise<void>;
beforeAll(async () => {
  ({ drop } = await useFreshDatabase());
});
afterAll(async () => {
  await closePool();
  await drop();
});

async function counts() {
  const q = async (sql: string) => (await getPool().query<{ n: number }>(sql)).rows[0].n;
  return {
    events: await q("SELECT count(*)::int AS n FROM events"),
    dedupe: await q("SELECT count(*)::int AS n FROM event_dedupe"),
    accepted: await q("SELECT coalesce(sum(accepted), 0)::int AS n FROM source_minute_stats"),
  };
}

describe("demo population", () => {
  it("stores the synthetic population per source, as the tracking API would, with the messages' own timestamps", async () => {
    const before = new Date();
    expect(await seedDemo({ people: PEOPLE, now })).toBe("seeded");
    const workspace = await db().workspace.findUniqueOrThrow({ where: { slug: DEMO_WORKSPACE.slug }, select: { id: true } });
    const sources = await db().source.findMany({ where: { workspaceId: workspace.id }, select: { id: true, name: true, kind: true, writeKeys: { select: { key: true } } } });
    expect(sources.map((s) => s.name).sort()).toEqual(DEMO_SOURCES.map((s) => s.name).sort());
    for (const s of sources) expect(s.writeKeys).toHaveLength(1);

    const { rows } = await getPool().query<{ source_id: string; n: number }>(`SELECT source_id, count(*)::int AS n FROM events WHERE workspace_id = $1 GROUP BY 1`, [workspace.id]);
    const stored = new Map(rows.map((r) => [sources.find((s) => s.id === r.source_id)!.name, r.n]));
    for (const s of DEMO_SOURCES) {
      const expected = s.population ? population.messages.filter((m) => m.source === s.population).length : 0;
      expect(stored.get(s.name) ?? 0, s.name).toBe(expected);
    }
    expect(await counts()).toEqual({ events: population.messages.length, dedupe: population.messages.length, accepted: population.messages.length });

    // Normalised like real traffic: timestamp from the message, receivedAt the time of seeding.
    const first = population.messages[0].message;
    const { rows: [e] } = await getPool().query(`SELECT message_id, type, user_id, anonymous_id, timestamp, received_at, raw FROM events WHERE message_id = $1`, [first.messageId]);
    expect(e.timestamp.toISOString()).toBe(first.timestamp);
    expect(e.received_at.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
    expect(e.raw).toMatchObject({ messageId: first.messageId, type: first.type, originalTimestamp: first.timestamp, timestamp: first.timestamp, receivedAt: e.received_at.toISOString() });
    const { rows: [span] } = await getPool().query(`SELECT min(timestamp) AS min, max(timestamp) AS max FROM events`);
    expect(span.min.getTime()).toBeGreaterThanOrEqual(start.getTime());
    expect(span.max.getTime()).toBeLessThanOrEqual(now.getTime());
    expect(span.max.getTime() - span.min.getTime()).toBeGreaterThan(50 * 86_400_000);

    // Handed to the pipeline, which resolves it by itself.
    const { rows: [batches] } = await getPool().query(`SELECT count(*)::int AS n, sum(event_count)::int AS events FROM ingest_batches WHERE processed_at IS NULL`);
    expect(batches.events).toBe(population.messages.length);
  });

  it("stores nothing twice when seeded again, even without its marker (deterministic messageIds)", async () => {
    const once = await counts();
    const keys = await db().sourceWriteKey.findMany({ select: { key: true }, orderBy: { key: "asc" } });
    expect(await seedDemo({ force: true, people: PEOPLE })).toBe("seeded");
    expect(await counts()).toEqual(once);
    await db().systemSetting.deleteMany({ where: { key: { startsWith: "demo_population_seeded_at:" } } });
    expect(await seedDemo({ force: true, people: PEOPLE })).toBe("seeded");
    expect(await counts()).toMatchObject({ events: once.events, dedupe: once.dedupe });
    expect(await db().sourceWriteKey.findMany({ select: { key: true }, orderBy: { key: "asc" } })).toEqual(keys);
  });

  it("adds demo sources missing from a demo seeded earlier and keeps the existing ones and their keys", async () => {
    const workspace = await db().workspace.findUniqueOrThrow({ where: { slug: DEMO_WORKSPACE.slug }, select: { id: true } });
    await db().source.deleteMany({ where: { workspaceId: workspace.id, name: { in: ["Shopify POS", "Zendesk support"] } } });
    const kept = await db().source.findMany({ where: { workspaceId: workspace.id }, select: { id: true, name: true, writeKeys: { select: { key: true } } }, orderBy: { name: "asc" } });
    expect(await seedDemo({ force: true, people: PEOPLE })).toBe("seeded");
    const after = await db().source.findMany({ where: { workspaceId: workspace.id }, select: { id: true, name: true, writeKeys: { select: { key: true } } }, orderBy: { name: "asc" } });
    expect(after.map((s) => s.name).sort()).toEqual(DEMO_SOURCES.map((s) => s.name).sort());
    for (const s of kept) expect(after).toContainEqual(s);
  });

  it("ships example segments that fill as the pipeline resolves the demo events, as a full evaluation would", async () => {
    const workspace = await db().workspace.findUniqueOrThrow({ where: { slug: DEMO_WORKSPACE.slug }, select: { id: true } });
    await drainPipeline();
    const segments = await getPool().query<{ id: string; name: string; member_count: number }>(`SELECT id, name, member_count FROM segments WHERE workspace_id = $1 ORDER BY name`, [workspace.id]);
    expect(segments.rows.map((s) => s.name)).toEqual(DEMO_SEGMENTS.map((s) => s.name).sort());
    for (const s of segments.rows) {
      expect(s.member_count, s.name).toBeGreaterThan(0);
      expect(s.member_count, `${s.name} is not everyone`).toBeLessThan(PEOPLE);
      const full = await evaluateSegment({ workspaceId: workspace.id, segmentId: s.id });
      expect({ name: s.name, entered: full.entered, exited: full.exited }).toEqual({ name: s.name, entered: 0, exited: 0 });
    }
  });
});
