// Progress of one import for the progress bar: counts, rate over the current run (a resumed run is
// not credited with the rows of the run before it) and the time left. Everything is read from the
// job row, so it survives page reloads and server restarts.
import type pg from "pg";
import { getPool } from "@/lib/db/pool";
import { AppError } from "@/lib/errors";
import { STALE_AFTER_SECONDS } from "@/lib/imports/run-import";

export type ImportStatus = "draft" | "queued" | "running" | "completed" | "failed" | "cancelled";

export interface ImportProgress {
  importId: string;
  sourceId: string;
  fileName: string;
  status: ImportStatus;
  mode: "identify" | "track" | null;
  totalRows: number | null;
  rowsDone: number;
  rowsImported: number;
  rowsFailed: number;
  /** 0–100, null while the total is unknown. */
  percent: number | null;
  /** Rows per second in the current (or last) run; null before the first chunk. */
  rowsPerSecond: number | null;
  /** Seconds left at the current rate; null when unknown or finished. */
  etaSeconds: number | null;
  /** Running, but the runner has not reported for a while (it will be resumed). */
  stalled: boolean;
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  lastProgressAt: Date | null;
}

interface Row {
  id: string;
  source_id: string;
  file_name: string;
  status: ImportStatus;
  mode: "identify" | "track" | null;
  total_rows: number | null;
  rows_done: number;
  rows_imported: number;
  rows_failed: number;
  run_start_rows: number;
  run_started_at: Date | null;
  error: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  last_progress_at: Date | null;
  now: Date;
}

export function progressFromRow(r: Row): ImportProgress {
  const total = r.total_rows;
  const done = r.rows_done;
  const finished = r.status === "completed" || r.status === "failed" || r.status === "cancelled";
  let rate: number | null = null;
  if (r.run_started_at && r.last_progress_at && done > r.run_start_rows) {
    const seconds = (r.last_progress_at.getTime() - r.run_started_at.getTime()) / 1000;
    if (seconds > 0) rate = (done - r.run_start_rows) / seconds;
  }
  const eta = !finished && rate && total !== null ? Math.max(0, Math.ceil((total - done) / rate)) : null;
  const stalled = r.status === "running" && r.last_progress_at !== null && r.now.getTime() - r.last_progress_at.getTime() > STALE_AFTER_SECONDS * 1000;
  return {
    importId: r.id,
    sourceId: r.source_id,
    fileName: r.file_name,
    status: r.status,
    mode: r.mode,
    totalRows: total,
    rowsDone: done,
    rowsImported: r.rows_imported,
    rowsFailed: r.rows_failed,
    percent: total === null ? null : total === 0 ? 100 : Math.min(100, Math.floor((done / total) * 1000) / 10),
    rowsPerSecond: rate === null ? null : Math.round(rate),
    etaSeconds: eta,
    stalled,
    error: r.error,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    lastProgressAt: r.last_progress_at,
  };
}

export const PROGRESS_COLUMNS = `id, source_id, file_name, status::text AS status, mode::text AS mode, total_rows, rows_done, rows_imported, rows_failed,
  run_start_rows, run_started_at, error, created_at, started_at, finished_at, last_progress_at, now() AS now`;

export async function importProgress(options: { workspaceId: string; importId: string; pool?: pg.Pool }): Promise<ImportProgress> {
  const { rows } = await (options.pool ?? getPool()).query<Row>(`SELECT ${PROGRESS_COLUMNS} FROM import_jobs WHERE workspace_id = $1 AND id = $2`, [options.workspaceId, options.importId]);
  if (!rows[0]) throw new AppError("not_found", "Import not found.");
  return progressFromRow(rows[0]);
}
