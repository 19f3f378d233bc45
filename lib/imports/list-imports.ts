// Imports of a workspace (optionally one source), newest first, with their progress.
import type pg from "pg";
import { getPool } from "@/lib/db/pool";
import { PROGRESS_COLUMNS, progressFromRow, type ImportProgress } from "@/lib/imports/import-progress";

export async function listImports(options: { workspaceId: string; sourceId?: string; limit?: number; before?: Date; pool?: pg.Pool }): Promise<ImportProgress[]> {
  const { rows } = await (options.pool ?? getPool()).query(
    `SELECT ${PROGRESS_COLUMNS} FROM import_jobs
     WHERE workspace_id = $1 AND ($2::uuid IS NULL OR source_id = $2) AND ($3::timestamptz IS NULL OR created_at < $3)
     ORDER BY created_at DESC LIMIT $4`,
    [options.workspaceId, options.sourceId ?? null, options.before ?? null, Math.min(Math.max(options.limit ?? 50, 1), 200)],
  );
  return rows.map(progressFromRow);
}
