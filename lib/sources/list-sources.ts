import { getPool } from "@/lib/db/pool";
import type { SourceKind } from "@/lib/sources/source-input";

export interface SourceListItem {
  id: string;
  name: string;
  kind: SourceKind;
  enabled: boolean;
  createdAt: Date;
  lastEventAt: Date | null;
  accepted24h: number;
  rejected24h: number;
}

/** Sources with their last-24-hour volume, from the per-minute counters (no event scan). */
export async function listSources(options: { workspaceId: string }): Promise<SourceListItem[]> {
  const { rows } = await getPool().query(
    `SELECT s.id, s.name, s.kind, s.enabled, s.created_at,
            (SELECT max(b.created_at) FROM ingest_batches b WHERE b.workspace_id = s.workspace_id AND b.source_id = s.id) AS last_event_at,
            coalesce(sum(m.accepted), 0)::int AS accepted, coalesce(sum(m.rejected), 0)::int AS rejected
     FROM sources s
     LEFT JOIN source_minute_stats m ON m.workspace_id = s.workspace_id AND m.source_id = s.id AND m.minute > now() - interval '24 hours'
     WHERE s.workspace_id = $1
     GROUP BY s.id
     ORDER BY s.created_at`,
    [options.workspaceId],
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    kind: r.kind,
    enabled: r.enabled,
    createdAt: r.created_at,
    lastEventAt: r.last_event_at,
    accepted24h: r.accepted,
    rejected24h: r.rejected,
  }));
}
