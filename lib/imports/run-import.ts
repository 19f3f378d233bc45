// Runs CSV imports in the background. A job is claimed with FOR UPDATE SKIP LOCKED (several
// processes never run the same job; a job whose runner stopped reporting is taken over), its file
// is streamed from the start and rows up to rowsDone are skipped, so a restart resumes where the
// last committed chunk ended. Each chunk is: events through the tracking API's group-commit
// writer (idempotent: messageIds are `csv-<importId>-<row>`), then one transaction with the
// chunk's row errors and the progress counters. A crash between the two only re-sends events that
// the dedupe key drops. Every progress update is fenced by the claim's attempt number, so a runner
// that lost its claim (or a cancelled job) stops at its next chunk.
import fs from "node:fs";
import type pg from "pg";
import { getPool } from "@/lib/db/pool";
import { CsvError, parseCsvBatches, type CsvDelimiter } from "@/lib/imports/csv-parser";
import { importMappingSchema } from "@/lib/imports/import-mapping";
import { createRowConverter, prepareImportMessage, type RowError } from "@/lib/imports/row-to-message";
import { EventWriter } from "@/lib/ingest/event-writer";
import { MAX_MESSAGE_BYTES } from "@/lib/ingest/normalize-message";
import type { PreparedMessage } from "@/lib/ingest/parse-tracking-request";

export const STALE_AFTER_SECONDS = 30;
export const MAX_ATTEMPTS = 5;
const DEFAULT_CHUNK_ROWS = 2000;
/** Rows per writer append: the event writer flushes up to 1,000 rows, two flushes at a time. */
const APPEND_ROWS = 1000;
/** Chunks whose events are being written while the next one is parsed: keeps both writer flushes busy. */
const MAX_CHUNKS_IN_FLIGHT = 3;

export interface ImportClaim {
  workspaceId: string;
  importId: string;
  /** Fencing token: progress is only recorded while the job's attempts still equal it. */
  attempt: number;
}

/** stopped: ended early by stopAfterChunks (job left running, as after a crash) or by signal (job queued again). */
export type ImportOutcome = "completed" | "failed" | "cancelled" | "lost_claim" | "stopped";

const CLAIM_SET = `status = 'running', attempts = j.attempts + 1, started_at = coalesce(j.started_at, now()), run_started_at = now(),
  run_start_rows = j.rows_done, last_progress_at = now(), error = NULL, updated_at = now()`;

/** Claims the oldest queued job, or a running one whose runner has been silent for 30 s. */
export async function claimNextImport(options: { pool?: pg.Pool; staleAfterSeconds?: number } = {}): Promise<ImportClaim | null> {
  const pool = options.pool ?? getPool();
  const { rows } = await pool.query<{ workspace_id: string; id: string; attempts: number }>(
    `UPDATE import_jobs j SET ${CLAIM_SET}
     WHERE (j.workspace_id, j.id) = (
       SELECT workspace_id, id FROM import_jobs
       WHERE status = 'queued' OR (status = 'running' AND last_progress_at < now() - make_interval(secs => $1))
       ORDER BY created_at
       FOR UPDATE SKIP LOCKED
       LIMIT 1)
     RETURNING j.workspace_id, j.id, j.attempts`,
    [options.staleAfterSeconds ?? STALE_AFTER_SECONDS],
  );
  return rows[0] ? { workspaceId: rows[0].workspace_id, importId: rows[0].id, attempt: rows[0].attempts } : null;
}

/** Claims one given job if it is queued or stale (null when another runner holds it). */
export async function claimImport(options: { workspaceId: string; importId: string; pool?: pg.Pool; staleAfterSeconds?: number }): Promise<ImportClaim | null> {
  const pool = options.pool ?? getPool();
  const { rows } = await pool.query<{ attempts: number }>(
    `UPDATE import_jobs j SET ${CLAIM_SET}
     WHERE j.workspace_id = $1 AND j.id = $2
       AND (j.status = 'queued' OR (j.status = 'running' AND j.last_progress_at < now() - make_interval(secs => $3)))
     RETURNING j.attempts`,
    [options.workspaceId, options.importId, options.staleAfterSeconds ?? STALE_AFTER_SECONDS],
  );
  return rows[0] ? { workspaceId: options.workspaceId, importId: options.importId, attempt: rows[0].attempts } : null;
}

interface JobRow {
  source_id: string;
  file_path: string;
  delimiter: string;
  headers: string[];
  mapping: unknown;
  rows_done: number;
  status: string;
  attempts: number;
}

const INSERT_ERRORS_SQL = `
INSERT INTO import_row_errors (workspace_id, import_id, row_number, "column", line, value, reason)
SELECT $1, $2, x.r, x.c, x.l, x.v, x.why
FROM unnest($3::int[], $4::text[], $5::int[], $6::text[], $7::text[]) AS x(r, c, l, v, why)
ORDER BY x.r, x.c
ON CONFLICT DO NOTHING`;

const PROGRESS_SQL = `
UPDATE import_jobs SET rows_done = $4, rows_imported = rows_imported + $5, rows_failed = rows_failed + $6,
  last_progress_at = now(), updated_at = now()
WHERE workspace_id = $1 AND id = $2 AND status = 'running' AND attempts = $3 AND rows_done = $7`;

interface Chunk {
  /** Last rowsDone before this chunk, and after it. */
  from: number;
  to: number;
  messages: PreparedMessage[];
  errors: (RowError & { line: number })[];
  failedRows: number;
}

class ClaimLost extends Error {}

/**
 * Runs (or resumes) a claimed import to the end. `stopAfterChunks` ends the run early without
 * touching the job, as a crash would (for tests and benchmarks).
 */
export async function runImport(options: {
  claim: ImportClaim;
  pool?: pg.Pool;
  writer?: EventWriter;
  chunkRows?: number;
  stopAfterChunks?: number;
  /** Graceful shutdown: stop after the chunks in flight and put the job back in the queue. */
  signal?: AbortSignal;
}): Promise<{ outcome: ImportOutcome; rowsDone: number }> {
  const { workspaceId, importId, attempt } = options.claim;
  const pool = options.pool ?? getPool();
  const writer = options.writer ?? new EventWriter(pool);
  const chunkRows = options.chunkRows ?? DEFAULT_CHUNK_ROWS;

  const { rows } = await pool.query<JobRow>(
    `SELECT source_id, file_path, delimiter, headers, mapping, rows_done, status::text, attempts FROM import_jobs WHERE workspace_id = $1 AND id = $2`,
    [workspaceId, importId],
  );
  const job = rows[0];
  if (!job || job.status !== "running" || job.attempts !== attempt) return { outcome: job?.status === "cancelled" ? "cancelled" : "lost_claim", rowsDone: job?.rows_done ?? 0 };

  const finish = async (status: "completed" | "failed", error: string | null) => {
    const r = await pool.query(
      `UPDATE import_jobs SET status = $4::"ImportStatus", error = $5, finished_at = now(), last_progress_at = now(), updated_at = now(),
         total_rows = CASE WHEN $4 = 'completed' THEN rows_done ELSE total_rows END
       WHERE workspace_id = $1 AND id = $2 AND attempts = $3 AND status = 'running'`,
      [workspaceId, importId, attempt, status, error],
    );
    return r.rowCount === 1;
  };

  const mapping = importMappingSchema.safeParse(job.mapping);
  if (!mapping.success) {
    await finish("failed", "The saved column mapping is not valid any more; map the columns again.");
    return { outcome: "failed", rowsDone: job.rows_done };
  }
  const convert = createRowConverter({ headers: job.headers, mapping: mapping.data, importId });

  let rowsDone = job.rows_done;

  const writeEvents = (chunk: Chunk) => {
    const appends: Promise<void>[] = [];
    for (let i = 0; i < chunk.messages.length; i += APPEND_ROWS) {
      appends.push(writer.append({ workspaceId, sourceId: job.source_id, messages: chunk.messages.slice(i, i + APPEND_ROWS) }));
    }
    return Promise.all(appends);
  };

  const recordProgress = async (chunk: Chunk) => {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query("BEGIN");
      if (chunk.errors.length > 0) {
        const e = chunk.errors;
        await client.query(INSERT_ERRORS_SQL, [workspaceId, importId, e.map((x) => x.rowNumber), e.map((x) => x.column), e.map((x) => x.line), e.map((x) => x.value), e.map((x) => x.reason)]);
      }
      const r = await client.query(PROGRESS_SQL, [workspaceId, importId, attempt, chunk.to, chunk.messages.length, chunk.failedRows, chunk.from]);
      if (r.rowCount !== 1) {
        await client.query("ROLLBACK");
        throw new ClaimLost();
      }
      await client.query("COMMIT");
    } catch (err) {
      if (!(err instanceof ClaimLost)) {
        // A connection that failed mid-transaction is not given back to the pool.
        await client.query("ROLLBACK").catch((rollbackError: Error) => (broken = rollbackError));
      }
      throw err;
    } finally {
      client.release(broken);
    }
    rowsDone = chunk.to;
  };

  // Pipeline: while chunks are parsed and converted, the events of up to MAX_CHUNKS_IN_FLIGHT
  // chunks are being written; progress is recorded strictly in chunk order, each after its own
  // events. Memory stays bounded by the chunks in flight.
  let submitted = 0;
  let progressTail: Promise<void> = Promise.resolve();
  const inFlight: Promise<void>[] = [];
  const submit = async (chunk: Chunk) => {
    if (options.signal?.aborted || (options.stopAfterChunks !== undefined && submitted >= options.stopAfterChunks)) return false;
    submitted++;
    const events = writeEvents(chunk);
    const previous = progressTail;
    const done = (async () => {
      await events;
      await previous;
      await recordProgress(chunk);
    })();
    done.catch(() => undefined); // awaited below; avoid an unhandled rejection meanwhile
    events.catch(() => undefined);
    progressTail = done;
    inFlight.push(done);
    while (inFlight.length >= MAX_CHUNKS_IN_FLIGHT) await inFlight.shift();
    return true;
  };

  const newChunk = (from: number): Chunk => ({ from, to: from, messages: [], errors: [], failedRows: 0 });
  let chunk = newChunk(rowsDone);
  let stopped = false;
  let receivedAt = new Date();
  try {
    let header = true;
    outer: for await (const batch of parseCsvBatches(fs.createReadStream(job.file_path, { highWaterMark: 256 * 1024 }), { delimiter: job.delimiter as CsvDelimiter })) {
      for (const rec of batch) {
        if (header) {
          header = false;
          continue;
        }
        const rowNumber = rec.record - 1;
        if (rowNumber <= chunk.from) continue; // committed by an earlier run
        const result = convert(rec.fields, rowNumber);
        if (result.ok) {
          const prepared = prepareImportMessage(result.message, receivedAt);
          if (prepared.json.length * 3 <= MAX_MESSAGE_BYTES || Buffer.byteLength(prepared.json) <= MAX_MESSAGE_BYTES) {
            chunk.messages.push(prepared);
          } else {
            chunk.errors.push({ rowNumber, column: "", value: "", reason: `is larger than ${MAX_MESSAGE_BYTES / 1024} KB as a message`, line: rec.line });
            chunk.failedRows++;
          }
        } else {
          for (const e of result.errors) chunk.errors.push({ ...e, line: rec.line });
          chunk.failedRows++;
        }
        chunk.to = rowNumber;
        if (chunk.to - chunk.from >= chunkRows) {
          if (!(await submit(chunk))) {
            stopped = true;
            break outer;
          }
          chunk = newChunk(chunk.to);
          receivedAt = new Date();
        }
      }
    }
    if (!stopped && chunk.to > chunk.from) stopped = !(await submit(chunk));
    for (const p of inFlight.splice(0)) await p;
  } catch (err) {
    await Promise.allSettled(inFlight.splice(0));
    if (err instanceof ClaimLost) {
      const { rows: now } = await pool.query<{ status: string }>(`SELECT status::text FROM import_jobs WHERE workspace_id = $1 AND id = $2`, [workspaceId, importId]);
      return { outcome: now[0]?.status === "cancelled" ? "cancelled" : "lost_claim", rowsDone };
    }
    const permanent = err instanceof CsvError || (err as NodeJS.ErrnoException).code === "ENOENT";
    const message = err instanceof CsvError ? `The file is not valid CSV at ${err.message}.` : (err as NodeJS.ErrnoException).code === "ENOENT" ? "The uploaded file is missing on the server." : "The import stopped on an unexpected error; it will be retried.";
    if (permanent) {
      await finish("failed", message);
      return { outcome: "failed", rowsDone };
    }
    // Transient (database, disk): hand the job back to the queue until MAX_ATTEMPTS. If even this
    // update fails, the job goes stale and is claimed again after STALE_AFTER_SECONDS.
    console.error(`[imports] ${importId} attempt ${attempt}: ${(err as Error).message}`);
    await pool
      .query(
        `UPDATE import_jobs SET status = CASE WHEN attempts >= $4 THEN 'failed'::"ImportStatus" ELSE 'queued'::"ImportStatus" END,
           error = CASE WHEN attempts >= $4 THEN 'The import failed repeatedly on an unexpected error.' ELSE $5 END,
           finished_at = CASE WHEN attempts >= $4 THEN now() END, updated_at = now()
         WHERE workspace_id = $1 AND id = $2 AND attempts = $3 AND status = 'running'`,
        [workspaceId, importId, attempt, MAX_ATTEMPTS, message],
      )
      .catch(() => undefined);
    throw err;
  }
  if (stopped) {
    if (options.signal?.aborted) {
      await pool.query(`UPDATE import_jobs SET status = 'queued', updated_at = now() WHERE workspace_id = $1 AND id = $2 AND attempts = $3 AND status = 'running'`, [workspaceId, importId, attempt]);
    }
    return { outcome: "stopped", rowsDone };
  }
  if (!(await finish("completed", null))) {
    const { rows: now } = await pool.query<{ status: string }>(`SELECT status::text FROM import_jobs WHERE workspace_id = $1 AND id = $2`, [workspaceId, importId]);
    return { outcome: now[0]?.status === "cancelled" ? "cancelled" : "lost_claim", rowsDone };
  }
  // The upload holds personal data and is not needed any more; best effort.
  await fs.promises.rm(job.file_path, { force: true }).catch(() => undefined);
  return { outcome: "completed", rowsDone };
}

/** Claims and runs the next import, if any (for a worker loop or a cron route). */
export async function runNextImport(options: { pool?: pg.Pool; writer?: EventWriter; signal?: AbortSignal } = {}): Promise<{ claim: ImportClaim; outcome: ImportOutcome; rowsDone: number } | null> {
  const claim = await claimNextImport({ pool: options.pool });
  if (!claim) return null;
  return { claim, ...(await runImport({ claim, pool: options.pool, writer: options.writer, signal: options.signal })) };
}
