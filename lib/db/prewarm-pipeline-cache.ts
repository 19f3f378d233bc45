// After a restart the database's cache is empty, and the pipeline's first batches read the pages
// of the tables and indexes every event touches one random page at a time — from disk when the
// operating system's cache has let them go too. At 1 M profiles under 5,000 events/s that put the
// pipeline several seconds behind for the first ~30 s (npm run bench:segments). `npm start` reads
// them into the cache in the background, sequentially (~11 GB at that size: 10–13 s from the
// operating system's cache, about a minute from disk), and logs when it is done. Needs the
// pg_prewarm extension (bundled with the embedded PostgreSQL; on another server it is skipped, with
// a log line, when the extension cannot be created).
import type pg from "pg";

/**
 * What each event reads or writes at a random place, most needed first: the indexes (timeline
 * anchors, daily counts, identifier lookups, profiles and their activity rows, trait documents,
 * dedupe keys; then the daily counts by event and day, whose today's part each new count goes
 * into at its profile's place — the most read index in the first seconds of a load once the
 * others were warm — and the activity rows by last seen), then the tables they point into
 * (profiles, identifiers, activity rows, dedupe keys, daily counts, trait documents).
 */
const PIPELINE_RELATIONS = [
  "event_identities_pkey",
  "profile_event_days_pkey",
  "identities_workspace_id_value_type_key",
  "identities_workspace_id_profile_id_idx",
  "profiles_pkey",
  "profile_activity_pkey",
  "profile_activity_workspace_id_kind_event_count_idx",
  "profile_trait_candidates_pkey",
  "event_dedupe_pkey",
  "profile_event_days_workspace_id_event_day_profile_id_count_idx",
  "profile_activity_workspace_id_kind_last_seen_at_idx",
  "profiles",
  "identities",
  "profile_activity",
  "event_dedupe",
  "profile_event_days",
  "profile_trait_candidates",
];

export interface PrewarmResult {
  relations: number;
  blocks: number;
  /** Why nothing was read, when nothing was. */
  skipped?: string;
}

/**
 * Reads the pipeline's indexes and tables into shared_buffers in that order, each that still fits
 * in `budgetBytes` (default: all of shared_buffers but 1 GB, at least three quarters of it; the
 * rest stays for everything else).
 */
export async function prewarmPipelineCache(pool: pg.Pool, options: { budgetBytes?: number } = {}): Promise<PrewarmResult> {
  try {
    await pool.query(`CREATE EXTENSION IF NOT EXISTS pg_prewarm`);
  } catch (err) {
    // Not installed on this server (0A000; 58P01 before PostgreSQL 15), or not ours to create (42501).
    if (!["0A000", "58P01", "42501"].includes((err as { code?: string }).code ?? "")) throw err;
    return { relations: 0, blocks: 0, skipped: `pg_prewarm is not available (${(err as Error).message})` };
  }
  const { rows: [{ buffers }] } = await pool.query<{ buffers: string }>(`SELECT (setting::bigint * 8192)::text AS buffers FROM pg_settings WHERE name = 'shared_buffers'`);
  const budget = options.budgetBytes ?? Math.max((Number(buffers) * 3) / 4, Number(buffers) - 2 ** 30);
  const { rows } = await pool.query<{ name: string; bytes: string }>(
    `SELECT x.name, pg_relation_size(to_regclass(x.name))::text AS bytes FROM unnest($1::text[]) WITH ORDINALITY AS x(name, n)
     WHERE pg_relation_size(to_regclass(x.name)) > 0 ORDER BY x.n`,
    [PIPELINE_RELATIONS],
  );
  let used = 0;
  const result: PrewarmResult = { relations: 0, blocks: 0 };
  for (const r of rows) {
    if (used + Number(r.bytes) > budget) continue;
    used += Number(r.bytes);
    const { rows: [{ n }] } = await pool.query<{ n: string }>(`SELECT pg_prewarm($1::regclass)::text AS n`, [r.name]);
    result.relations++;
    result.blocks += Number(n);
  }
  return result;
}
