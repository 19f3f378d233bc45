// After a restart the database's cache is empty, and the pipeline's first batches read the index
// pages of the tables every event touches one random page at a time: at 1 M profiles under 5,000
// events/s it fell ~5 s behind in the first seconds and needed ~35 s to catch up (npm run
// bench:segments). `npm start` reads those indexes into the cache in the background, sequentially
// (~4.5 GB there, a few seconds): the next run fell at most 3.1 s behind and had caught up after
// 12 s. Needs the pg_prewarm extension (bundled with the embedded PostgreSQL; on another server it
// is skipped, with a log line, when the extension cannot be created).
import type pg from "pg";

/**
 * The indexes each event reads or writes at a random place, most needed first: timeline anchors,
 * daily counts, identifier lookups, profiles and their activity rows, trait documents, dedupe keys.
 */
const PIPELINE_INDEXES = [
  "event_identities_pkey",
  "profile_event_days_pkey",
  "identities_workspace_id_value_type_key",
  "identities_workspace_id_profile_id_idx",
  "profiles_pkey",
  "profile_activity_pkey",
  "profile_activity_workspace_id_kind_event_count_idx",
  "profile_trait_candidates_pkey",
  "event_dedupe_pkey",
];

export interface PrewarmResult {
  indexes: number;
  blocks: number;
  /** Why nothing was read, when nothing was. */
  skipped?: string;
}

/**
 * Reads the pipeline's indexes into shared_buffers in that order, each that still fits in
 * `budgetBytes` (default: three quarters of shared_buffers, so the rest of the cache stays).
 */
export async function prewarmPipelineIndexes(pool: pg.Pool, options: { budgetBytes?: number } = {}): Promise<PrewarmResult> {
  try {
    await pool.query(`CREATE EXTENSION IF NOT EXISTS pg_prewarm`);
  } catch (err) {
    return { indexes: 0, blocks: 0, skipped: `pg_prewarm is not available (${(err as Error).message})` };
  }
  const { rows: [{ buffers }] } = await pool.query<{ buffers: string }>(`SELECT (setting::bigint * 8192)::text AS buffers FROM pg_settings WHERE name = 'shared_buffers'`);
  const budget = options.budgetBytes ?? (Number(buffers) * 3) / 4;
  const { rows } = await pool.query<{ name: string; bytes: string }>(
    `SELECT x.name, pg_relation_size(to_regclass(x.name))::text AS bytes FROM unnest($1::text[]) WITH ORDINALITY AS x(name, n)
     WHERE to_regclass(x.name) IS NOT NULL ORDER BY x.n`,
    [PIPELINE_INDEXES],
  );
  let used = 0;
  const result: PrewarmResult = { indexes: 0, blocks: 0 };
  for (const r of rows) {
    if (used + Number(r.bytes) > budget) continue;
    used += Number(r.bytes);
    const { rows: [{ n }] } = await pool.query<{ n: string }>(`SELECT pg_prewarm($1::regclass)::text AS n`, [r.name]);
    result.indexes++;
    result.blocks += Number(n);
  }
  return result;
}
