import { getPool } from "@/lib/db/pool";
import { pipelineLag, type PipelineLag } from "@/lib/pipeline/pipeline-lag";

export interface WorkspaceOverview {
  eventsLast24h: number;
  profiles: number;
  accounts: number;
  lag: PipelineLag;
}

/** The figures on a workspace's Overview page. */
export async function workspaceOverview(workspaceId: string): Promise<WorkspaceOverview> {
  const pool = getPool();
  // The lag first: counts read after it include everything it calls processed, so the page never
  // says "Caught up" next to profile counts from before the last batch.
  const lag = await pipelineLag({ workspaceId });
  const [events, profiles] = await Promise.all([
    pool.query<{ n: number }>(`SELECT coalesce(sum(accepted), 0)::int AS n FROM source_minute_stats WHERE workspace_id = $1 AND minute > now() - interval '24 hours'`, [workspaceId]),
    pool.query<{ users: number; accounts: number }>(
      `SELECT count(*) FILTER (WHERE kind = 'user')::int AS users, count(*) FILTER (WHERE kind = 'account')::int AS accounts FROM profiles WHERE workspace_id = $1 AND merged_into_id IS NULL`,
      [workspaceId],
    ),
  ]);
  return { eventsLast24h: events.rows[0].n, profiles: profiles.rows[0].users, accounts: profiles.rows[0].accounts, lag };
}

/** "caught up", "8 s behind", "3 min behind" — the pipeline lag in words. */
export function describeLag(lag: PipelineLag): string {
  if (lag.unprocessedEvents === 0) return "Caught up";
  const s = Math.round(lag.oldestUnprocessedSeconds);
  if (s < 60) return `${s} s behind`;
  if (s < 3600) return `${Math.round(s / 60)} min behind`;
  return `${Math.round(s / 3600)} h behind`;
}
