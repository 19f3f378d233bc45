// Uploaded CSV files hold personal data: a completed import deletes its file at once; this sweep
// deletes the files of imports that failed or were cancelled (after a day, so a failure can still
// be looked at), and cancels drafts nobody mapped for a week, deleting their upload.
import fs from "node:fs";
import type pg from "pg";
import { getPool } from "@/lib/db/pool";
import { periodicWorker } from "@/lib/jobs/periodic-worker";

export const ABANDONED_DRAFT_DAYS = 7;

export async function pruneImportFiles(options: { pool?: pg.Pool } = {}): Promise<{ filesRemoved: number; draftsCancelled: number }> {
  const pool = options.pool ?? getPool();
  const { rowCount: draftsCancelled } = await pool.query(
    `UPDATE import_jobs SET status = 'cancelled', finished_at = now(), updated_at = now(),
       error = 'Nobody mapped this upload for ${ABANDONED_DRAFT_DAYS} days; it was cancelled and the file deleted.'
     WHERE status = 'draft' AND created_at < now() - interval '${ABANDONED_DRAFT_DAYS} days'`,
  );
  const { rows } = await pool.query<{ file_path: string }>(
    `SELECT file_path FROM import_jobs WHERE status IN ('failed', 'cancelled', 'completed') AND finished_at < now() - interval '1 day'`,
  );
  let filesRemoved = 0;
  for (const { file_path } of rows) {
    if (!file_path || !fs.existsSync(file_path)) continue;
    await fs.promises.rm(file_path, { force: true });
    filesRemoved++;
  }
  return { filesRemoved, draftsCancelled: draftsCancelled ?? 0 };
}

export const importFilesWorker = periodicWorker("import-files", 60 * 60 * 1000, async (log) => {
  const r = await pruneImportFiles();
  if (r.filesRemoved || r.draftsCancelled) log(`[import-files] removed ${r.filesRemoved} upload(s) of finished imports, cancelled ${r.draftsCancelled} abandoned draft(s)`);
});
