// The start-up cache warm-up against a real PostgreSQL: it reads the pipeline's indexes (every
// block of each) and stays within its budget.
import { describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/pool";
import { prewarmPipelineIndexes } from "@/lib/db/prewarm-pipeline-indexes";

async function indexBlocks(names: string[]): Promise<Map<string, number>> {
  const { rows } = await getPool().query<{ name: string; blocks: number }>(
    `SELECT x AS name, (pg_relation_size(to_regclass(x)) / 8192)::int AS blocks FROM unnest($1::text[]) AS x`,
    [names],
  );
  return new Map(rows.map((r) => [r.name, r.blocks]));
}

const ESSENTIAL = ["event_identities_pkey", "profile_event_days_pkey", "identities_workspace_id_value_type_key", "profiles_pkey", "profile_activity_pkey", "event_dedupe_pkey"];

describe("prewarmPipelineIndexes", () => {
  it("reads every block of the pipeline's indexes into the cache", async () => {
    const sizes = await indexBlocks(ESSENTIAL);
    // Every one of them exists under this name (a renamed index would silently stay cold).
    for (const name of ESSENTIAL) expect(sizes.get(name), name).toBeGreaterThan(0);
    const result = await prewarmPipelineIndexes(getPool());
    expect(result.skipped).toBeUndefined();
    expect(result.indexes).toBe(9);
    expect(result.blocks).toBeGreaterThanOrEqual([...sizes.values()].reduce((a, b) => a + b, 0));
  });

  it("leaves out what does not fit in its budget", async () => {
    const sizes = await indexBlocks(ESSENTIAL);
    const budget = sizes.get("event_identities_pkey")! * 8192;
    const result = await prewarmPipelineIndexes(getPool(), { budgetBytes: budget });
    expect(result.indexes).toBeGreaterThan(0);
    expect(result.indexes).toBeLessThan(9);
    expect(result.blocks * 8192).toBeLessThanOrEqual(budget);
    expect(await prewarmPipelineIndexes(getPool(), { budgetBytes: 0 })).toEqual({ indexes: 0, blocks: 0 });
  });
});
