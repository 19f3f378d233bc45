import type pg from "pg";
import { getPool } from "@/lib/db/pool";

export interface PipelineLag {
  /** Age in seconds of the oldest event not yet fully processed — resolved into profiles, then its follow-up applied (0 when caught up). */
  oldestUnprocessedSeconds: number;
  /** Events not yet resolved, plus resolved ones whose follow-up is still queued. */
  unprocessedEvents: number;
}

/** How far the pipeline is behind ingestion, for one workspace or all. */
export async function pipelineLag(options: { workspaceId?: string; pool?: pg.Pool | pg.Client } = {}): Promise<PipelineLag> {
  const { rows: [r] } = await (options.pool ?? getPool()).query<{ age: number | null; n: number }>(
    `SELECT extract(epoch FROM now() - least(b.oldest, f.oldest))::float8 AS age, (b.n + f.n)::int AS n
     FROM (SELECT min(created_at) AS oldest, coalesce(sum(event_count), 0) AS n FROM ingest_batches WHERE processed_at IS NULL AND ($1::uuid IS NULL OR workspace_id = $1)) b,
          (SELECT min(received_at) AS oldest, coalesce(sum(event_count), 0) AS n FROM pipeline_follow_ups WHERE $1::uuid IS NULL OR workspace_id = $1) f`,
    [options.workspaceId ?? null],
  );
  return { oldestUnprocessedSeconds: Math.max(0, r.age ?? 0), unprocessedEvents: r.n };
}
