// The start-up cache warm-up against a real PostgreSQL: it reads the pipeline's indexes and tables
// (every block of each, tables with rows in them) and stays within its budget.
import { beforeAll, describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/pool";
import { prewarmPipelineCache } from "@/lib/db/prewarm-pipeline-cache";
import { createTestSource, trackingServerForTests } from "@/lib/ingest/test-tracking-server";
import { drainPipeline } from "@/lib/pipeline/process-pipeline-batch";

const server = trackingServerForTests();

// Rows in every table the warm-up reads (an empty table has no block to read and is left out).
beforeAll(async () => {
  const source = await createTestSource();
  await server.send(source.writeKey, [
    { type: "identify", messageId: "w-1", userId: "warm-1", traits: { email: "warm-1@example.com", plan: "pro" } },
    { type: "track", messageId: "w-2", userId: "warm-1", event: "Order Completed", properties: { total: 10 } },
  ]);
  await drainPipeline();
});

/** Blocks per relation; a relation that does not exist under that name is left out. */
async function relationBlocks(names: string[]): Promise<Map<string, number>> {
  const { rows } = await getPool().query<{ name: string; blocks: number }>(
    `SELECT x AS name, (pg_relation_size(to_regclass(x)) / 8192)::int AS blocks FROM unnest($1::text[]) AS x WHERE to_regclass(x) IS NOT NULL`,
    [names],
  );
  return new Map(rows.map((r) => [r.name, r.blocks]));
}

const ESSENTIAL = [
  "event_identities_pkey", "profile_event_days_pkey", "identities_workspace_id_value_type_key", "profiles_pkey", "profile_activity_pkey", "event_dedupe_pkey",
  "profile_event_days_workspace_id_event_day_profile_id_count_idx", "profile_activity_workspace_id_kind_last_seen_at_idx",
  "profiles", "identities", "event_dedupe", "profile_event_days", "profile_trait_candidates",
];

describe("prewarmPipelineCache", () => {
  it("reads every block of the pipeline's indexes and tables into the cache", async () => {
    const sizes = await relationBlocks(ESSENTIAL);
    // Every one of them exists under this name (a renamed index would silently stay cold).
    for (const name of ESSENTIAL) expect(sizes.has(name), name).toBe(true);
    const result = await prewarmPipelineCache(getPool());
    expect(result.skipped).toBeUndefined();
    expect(result.relations).toBe(17);
    expect(result.blocks).toBeGreaterThanOrEqual([...sizes.values()].reduce((a, b) => a + b, 0));
  });

  it("leaves out what does not fit in its budget", async () => {
    const sizes = await relationBlocks(ESSENTIAL);
    const budget = sizes.get("event_identities_pkey")! * 8192;
    const result = await prewarmPipelineCache(getPool(), { budgetBytes: budget });
    expect(result.relations).toBeGreaterThan(0);
    expect(result.relations).toBeLessThan(17);
    expect(result.blocks * 8192).toBeLessThanOrEqual(budget);
    expect(await prewarmPipelineCache(getPool(), { budgetBytes: 0 })).toEqual({ relations: 0, blocks: 0 });
  });
});
