import type pg from "pg";
import { getPool } from "@/lib/db/pool";

export interface PipelineLag {
  /** Age in seconds of the oldest event not yet resolved into profiles (0 when caught up). */
  oldestUnprocessedSeconds: number;
  unprocessedEvents: number;
}

/** How far the pipeline is behind ingestion, for one workspace or all. */
export async function pipelineLag(options: { workspaceId?: string; pool?: pg.Pool } = {}): Promise<PipelineLag> {
  const { rows: [r] } = await (options.pool ?? getPool()).query<{ age: number | null; n: number }>(
    `SELECT extract(epoch FROM now() - min(created_at))::float8 AS age, coalesce(sum(event_count), 0)::int AS n
     FROM ingest_batches WHERE processed_at IS NULL AND ($1::uuid IS NULL OR workspace_id = $1)`,
    [options.workspaceId ?? null],
  );
  return { oldestUnprocessedSeconds: Math.max(0, r.age ?? 0), unprocessedEvents: r.n };
}
