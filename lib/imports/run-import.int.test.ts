// CSV imports against a real PostgreSQL: upload → analyse → map → run, resume after a stop or a
// lost claim without duplicates, claiming rules, cancellation, row errors as CSV.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closePool, getPool } from "@/lib/db/pool";
import { db } from "@/lib/db/prisma";
import { useFreshDatabase } from "@/lib/db/test-database";
import { cancelImport } from "@/lib/imports/cancel-import";
import { createImport } from "@/lib/imports/create-import";
import { parseCsv } from "@/lib/imports/csv-parser";
import type { ImportMappingInput } from "@/lib/imports/import-mapping";
import { importProgress } from "@/lib/imports/import-progress";
import { listImports } from "@/lib/imports/list-imports";
import { getMappingPreset } from "@/lib/imports/mapping-preset";
import { rowErrorsCsv, summarizeRowErrors } from "@/lib/imports/row-errors-csv";
import { getImport } from "@/lib/imports/get-import";
import { startImportWorker } from "@/lib/imports/import-worker";
import { claimImport, claimNextImport, runImport } from "@/lib/imports/run-import";
import { pruneImportFiles } from "@/lib/imports/prune-import-files";
import { startImport } from "@/lib/imports/start-import";
import { createSource } from "@/lib/sources/create-source";

let database: Awaited<ReturnType<typeof useFreshDatabase>>;
let dir: string;
beforeAll(async () => {
  database = await useFreshDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "tessera-imports-"));
});
afterAll(async () => {
  await closePool();
  await database.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function newSource() {
  const id = randomBytes(4).toString("hex");
  const workspace = await db().workspace.create({ data: { slug: `imports-${id}`, name: `Imports ${id}` } });
  const source = await createSource({ workspaceId: workspace.id, name: "CRM export", kind: "file" });
  return { workspaceId: workspace.id, sourceId: source.id };
}

/** A CSV where a few known rows are bad; returns the file and the bad row numbers. */
function writeCsv(rows: number, options: { track?: boolean; delimiter?: string } = {}) {
  const d = options.delimiter ?? ",";
  const bad = new Set<number>();
  const lines = [options.track ? ["customer", "email", "event", "at", "total"].join(d) : ["user_id", "email", "name", "ltv", "signed_up"].join(d)];
  for (let n = 1; n <= rows; n++) {
    let email = `user${n}@example.com`;
    let date = `2024-0${(n % 9) + 1}-1${n % 10}${options.track ? " 10:00:00" : ""}`;
    let id = `u-${n}`;
    if (n % 1000 === 7) { email = `user${n}-at-example.com`; bad.add(n); }
    if (n % 2500 === 13) { date = "13/13/2024"; bad.add(n); }
    if (n % 5000 === 99) { id = ""; email = ""; bad.add(n); }
    const name = n % 3 === 0 ? `"Smith${d} ""Jr"" ${n}\nsecond line"` : `Name ${n}`;
    lines.push(options.track ? [id, email, n % 2 ? "Order Completed" : "Cart Viewed", date, `${n}.5`].join(d) : [id, email, name, `${n}.25`, date].join(d));
  }
  lines.push(["u-extra", "x@example.com"].join(d)); // wrong number of fields
  bad.add(rows + 1);
  const file = path.join(dir, `${randomBytes(4).toString("hex")}.csv`);
  fs.writeFileSync(file, "\ufeff" + lines.join("\r\n") + "\r\n");
  return { file, bad, total: rows + 1 };
}

const identifyMapping: ImportMappingInput = {
  mode: "identify",
  columns: { user_id: { as: "user_id" }, email: { as: "email" }, name: { as: "trait", trait: "name" }, ltv: { as: "trait", trait: "ltv", type: "number" }, signed_up: { as: "trait", trait: "signed_up", type: "date" } },
};
const trackMapping: ImportMappingInput = {
  mode: "track",
  columns: { customer: { as: "user_id" }, email: { as: "email" }, event: { as: "event_name" }, at: { as: "timestamp" }, total: { as: "property", property: "total", type: "number" } },
};

async function prepare(csv: ReturnType<typeof writeCsv>, mapping: ImportMappingInput) {
  const src = await newSource();
  const created = await createImport({ ...src, fileName: "export.csv", body: fs.createReadStream(csv.file), directory: dir });
  await startImport({ workspaceId: src.workspaceId, importId: created.importId, mapping });
  return { ...src, ...created };
}

async function events(sourceId: string) {
  const { rows } = await getPool().query<{ message_id: string; type: string; user_id: string | null; anonymous_id: string | null; raw: Record<string, unknown> }>(
    `SELECT message_id, type, user_id, anonymous_id, raw FROM events WHERE source_id = $1`,
    [sourceId],
  );
  return rows;
}

async function job(workspaceId: string, importId: string) {
  return db().importJob.findFirstOrThrow({ where: { workspaceId, id: importId } });
}

const goodIds = (importId: string, csv: ReturnType<typeof writeCsv>) =>
  Array.from({ length: csv.total }, (_, i) => i + 1).filter((n) => !csv.bad.has(n)).map((n) => `csv-${importId}-${n}`).sort();

describe("CSV import", () => {
  it("imports 20,000 rows once per good row, records the bad ones, and offers them as CSV", async () => {
    const csv = writeCsv(20_000);
    const imp = await prepare(csv, identifyMapping);
    expect(imp.analysis).toMatchObject({ delimiter: ",", headers: ["user_id", "email", "name", "ltv", "signed_up"], totalRows: csv.total, warnings: [] });
    expect(imp.analysis.preview[2]).toEqual(["u-3", "user3@example.com", 'Smith, "Jr" 3\nsecond line', "3.25", "2024-04-13"]);
    expect(imp.savedMapping).toBeNull();

    const claim = await claimImport(imp);
    expect(claim).not.toBeNull();
    expect(await runImport({ claim: claim! })).toEqual({ outcome: "completed", rowsDone: csv.total });

    const stored = await events(imp.sourceId);
    expect(stored.map((e) => e.message_id).sort()).toEqual(goodIds(imp.importId, csv));
    const third = stored.find((e) => e.message_id === `csv-${imp.importId}-3`)!;
    expect(third).toMatchObject({ type: "identify", user_id: "u-3" });
    expect(third.raw.traits).toEqual({ name: 'Smith, "Jr" 3\nsecond line', ltv: 3.25, signed_up: "2024-04-13", email: "user3@example.com" });

    const j = await job(imp.workspaceId, imp.importId);
    expect(j).toMatchObject({ status: "completed", rowsDone: csv.total, rowsImported: csv.total - csv.bad.size, rowsFailed: csv.bad.size, totalRows: csv.total, attempts: 1, error: null });
    const { rows: batches } = await getPool().query(`SELECT sum(event_count)::int AS n FROM ingest_batches WHERE source_id = $1`, [imp.sourceId]);
    expect(batches[0].n).toBe(csv.total - csv.bad.size);

    const progress = await importProgress(imp);
    expect(progress).toMatchObject({ status: "completed", percent: 100, rowsDone: csv.total, etaSeconds: null, stalled: false });
    expect(progress.rowsPerSecond).toBeGreaterThan(0);
    expect((await listImports({ workspaceId: imp.workspaceId })).map((p) => p.importId)).toEqual([imp.importId]);

    const summary = await summarizeRowErrors(imp);
    expect(summary).toContainEqual({ column: "email", reason: "is not a valid email address", rows: 20 });
    expect(summary).toContainEqual({ column: "", reason: "has 2 fields; the header has 5", rows: 1 });
    let text = "";
    for await (const piece of rowErrorsCsv({ ...imp, pageSize: 7 })) text += piece;
    const parsed: string[][] = [];
    for await (const r of parseCsv([Buffer.from(text)])) parsed.push(r.fields);
    expect(parsed[0]).toEqual(["row", "line", "column", "value", "reason"]);
    expect(new Set(parsed.slice(1).map((r) => Number(r[0])))).toEqual(csv.bad);
    const row7 = parsed.find((r) => r[0] === "7")!;
    // Row 7 starts on line 10: the header is line 1 and rows 3 and 6 span two lines each.
    expect(row7).toEqual(["7", "10", "email", "user7-at-example.com", "is not a valid email address"]);

    // The mapping is saved for the next import on this source.
    expect(await getMappingPreset({ workspaceId: imp.workspaceId, sourceId: imp.sourceId })).toMatchObject({ mode: "identify", columns: { email: { as: "email" } } });
  });

  it("resumes a stopped import and a taken-over one without double-importing", async () => {
    const csv = writeCsv(20_000, { track: true, delimiter: ";" });
    const imp = await prepare(csv, trackMapping);
    expect(imp.analysis.delimiter).toBe(";");
    const first = await claimImport(imp);
    // A "crash" after three chunks: progress says 6,000 rows, the job is still marked running.
    expect(await runImport({ claim: first!, chunkRows: 2000, stopAfterChunks: 3 })).toEqual({ outcome: "stopped", rowsDone: 6000 });
    expect(await job(imp.workspaceId, imp.importId)).toMatchObject({ status: "running", rowsDone: 6000 });
    const mid = await importProgress(imp);
    expect(mid.percent).toBeCloseTo((6000 / csv.total) * 100, 0);

    // Not stale yet: nobody can take it.
    expect(await claimNextImport()).toBeNull();
    await getPool().query(`UPDATE import_jobs SET last_progress_at = now() - interval '1 minute' WHERE id = $1`, [imp.importId]);
    expect((await importProgress(imp)).stalled).toBe(true);
    const second = await claimNextImport();
    expect(second).toEqual({ workspaceId: imp.workspaceId, importId: imp.importId, attempt: 2 });

    // The first runner, were it still alive, is fenced off.
    expect(await runImport({ claim: first!, chunkRows: 2000 })).toEqual({ outcome: "lost_claim", rowsDone: 6000 });
    expect(await runImport({ claim: second! })).toEqual({ outcome: "completed", rowsDone: csv.total });

    const check = async () => {
      const stored = await events(imp.sourceId);
      expect(stored).toHaveLength(csv.total - csv.bad.size);
      expect(stored.map((e) => e.message_id).sort()).toEqual(goodIds(imp.importId, csv));
      expect(await job(imp.workspaceId, imp.importId)).toMatchObject({ status: "completed", rowsDone: csv.total, rowsImported: csv.total - csv.bad.size, rowsFailed: csv.bad.size });
      const { rows } = await getPool().query(`SELECT count(DISTINCT row_number)::int AS n FROM import_row_errors WHERE import_id = $1`, [imp.importId]);
      expect(rows[0].n).toBe(csv.bad.size);
    };
    await check();
    const order = (await events(imp.sourceId)).find((e) => e.message_id === `csv-${imp.importId}-1`)!;
    expect(order.raw).toMatchObject({ type: "track", event: "Order Completed", properties: { total: 1.5 }, timestamp: "2024-02-11T10:00:00.000Z" });

    // Worst case: progress lost entirely after everything was written (events and errors). A full
    // re-run writes nothing twice.
    const { filePath } = await job(imp.workspaceId, imp.importId);
    expect(fs.existsSync(filePath)).toBe(false); // a completed import's upload is deleted
    fs.copyFileSync(csv.file, filePath);
    await getPool().query(`UPDATE import_jobs SET status = 'queued', rows_done = 0, rows_imported = 0, rows_failed = 0 WHERE id = $1`, [imp.importId]);
    const third = await claimNextImport();
    expect(await runImport({ claim: third! })).toMatchObject({ outcome: "completed" });
    await check();
  });

  it("claims a stale running job, never a fresh one, and each job to one claimer only", async () => {
    const src = await newSource();
    const make = async (status: "running" | "queued", lastProgressSecondsAgo: number) => {
      const j = await db().importJob.create({
        data: { ...src, fileName: "x.csv", filePath: "/nonexistent.csv", byteSize: 1n, delimiter: ",", headers: ["id"], mapping: { mode: "identify", columns: { id: { as: "user_id" } } }, status, attempts: status === "running" ? 1 : 0, lastProgressAt: new Date(Date.now() - lastProgressSecondsAgo * 1000) },
      });
      return j.id;
    };
    const fresh = await make("running", 5);
    const stale = await make("running", 120);
    expect(await claimNextImport()).toMatchObject({ importId: stale, attempt: 2 });
    expect(await claimNextImport()).toBeNull();
    expect(await claimImport({ workspaceId: src.workspaceId, importId: fresh })).toBeNull();

    const queued = await make("queued", 0);
    const claims = await Promise.all([claimNextImport(), claimNextImport(), claimNextImport()]);
    expect(claims.filter(Boolean)).toEqual([{ workspaceId: src.workspaceId, importId: queued, attempt: 1 }]);

    // A missing file fails the job with a clear message.
    const claim = claims.find(Boolean)!;
    expect(await runImport({ claim })).toEqual({ outcome: "failed", rowsDone: 0 });
    expect(await job(src.workspaceId, queued)).toMatchObject({ status: "failed", error: "The uploaded file is missing on the server." });
    await db().importJob.updateMany({ where: { workspaceId: src.workspaceId }, data: { status: "cancelled" } });
  });

  it("stops a cancelled import at its next chunk", async () => {
    const csv = writeCsv(5000);
    const imp = await prepare(csv, identifyMapping);
    const claim = await claimImport(imp);
    await cancelImport(imp);
    expect(await runImport({ claim: claim!, chunkRows: 1000 })).toEqual({ outcome: "cancelled", rowsDone: 0 });
    expect(await job(imp.workspaceId, imp.importId)).toMatchObject({ status: "cancelled", rowsDone: 0 });
    await expect(cancelImport(imp)).rejects.toThrow("This import is already cancelled.");
  });

  it("deletes the uploads of finished imports after a day and cancels drafts abandoned for a week", async () => {
    const cancelled = await prepare(writeCsv(10), identifyMapping);
    await cancelImport(cancelled);
    const src = await newSource();
    const draft = await createImport({ ...src, fileName: "draft.csv", body: fs.createReadStream(writeCsv(10).file), directory: dir });
    const recentDraft = await createImport({ ...src, fileName: "new.csv", body: fs.createReadStream(writeCsv(10).file), directory: dir });
    const paths = async (id: string) => (await db().importJob.findFirstOrThrow({ where: { id } })).filePath;
    for (const p of [await paths(cancelled.importId), await paths(draft.importId), await paths(recentDraft.importId)]) expect(fs.existsSync(p)).toBe(true);

    await pruneImportFiles(); // nothing is old enough yet
    expect(fs.existsSync(await paths(cancelled.importId))).toBe(true);

    await getPool().query(`UPDATE import_jobs SET finished_at = now() - interval '25 hours' WHERE id = $1`, [cancelled.importId]);
    await getPool().query(`UPDATE import_jobs SET created_at = now() - interval '8 days' WHERE id = $1`, [draft.importId]);
    const first = await pruneImportFiles();
    expect(first.draftsCancelled).toBe(1);
    expect(fs.existsSync(await paths(cancelled.importId))).toBe(false);
    expect(await job(src.workspaceId, draft.importId)).toMatchObject({ status: "cancelled", error: expect.stringContaining("Nobody mapped this upload") });
    expect(await job(src.workspaceId, recentDraft.importId)).toMatchObject({ status: "draft" });
    expect(fs.existsSync(await paths(recentDraft.importId))).toBe(true);

    await getPool().query(`UPDATE import_jobs SET finished_at = now() - interval '25 hours' WHERE id = $1`, [draft.importId]);
    await pruneImportFiles();
    expect(fs.existsSync(await paths(draft.importId))).toBe(false);
  });

  it("refuses bad uploads and mappings with clear messages", async () => {
    const src = await newSource();
    const upload = (text: string) => createImport({ ...src, fileName: "bad.csv", body: [Buffer.from(text)], directory: dir });
    await expect(upload("")).rejects.toThrow("The file is empty.");
    await expect(upload("a,b\n")).rejects.toThrow("The file has a header but no data rows.");
    await expect(upload('a,b\n1,"2\n')).rejects.toThrow('The file is not valid CSV: line 2: a quoted field is not closed (missing ").');
    const ok = await upload("Id;E-mail;;Id\n1;a@example.com;x;2\n");
    expect(ok.analysis.headers).toEqual(["Id", "E-mail", "column_3", "Id (2)"]);
    await expect(startImport({ workspaceId: src.workspaceId, importId: ok.importId, mapping: { mode: "track", columns: { Id: { as: "user_id" } } } })).rejects.toMatchObject({
      code: "invalid_input",
      fieldErrors: { eventName: ["Track imports need an event name: map an event name column or enter a constant name."] },
    });
    await startImport({ workspaceId: src.workspaceId, importId: ok.importId, mapping: { mode: "identify", columns: { Id: { as: "user_id" } } } });
    await expect(startImport({ workspaceId: src.workspaceId, importId: ok.importId, mapping: { mode: "identify", columns: { Id: { as: "user_id" } } } })).rejects.toThrow("This import is already queued.");
    // The next upload on this source gets the saved mapping, restricted to its own columns.
    const next = await upload("Id,Plan\n1,pro\n");
    expect(next.savedMapping).toEqual({ mode: "identify", columns: { Id: { as: "user_id" } } });
    // After a reload, the draft shows its preview and the preset again.
    const detail = await getImport({ workspaceId: src.workspaceId, importId: next.importId });
    expect(detail).toMatchObject({ status: "draft", headers: ["Id", "Plan"], preview: [["1", "pro"]], mapping: { mode: "identify", columns: { Id: { as: "user_id" } } }, totalRows: 1 });
    expect(detail).not.toHaveProperty("filePath");
    await db().importJob.updateMany({ where: { workspaceId: src.workspaceId }, data: { status: "cancelled" } });
    expect(fs.readdirSync(dir).filter((f) => f.endsWith(".csv")).length).toBeGreaterThan(0);
  });

  it("fails an import whose file turns out to be broken, keeping the chunks before the problem", async () => {
    const src = await newSource();
    const file = path.join(dir, `${randomBytes(4).toString("hex")}.csv`);
    const rows = Array.from({ length: 2500 }, (_, i) => `u-${i + 1},x`);
    fs.writeFileSync(file, `id,plan\n${rows.join("\n")}\nu-2501,"never closed\n`);
    const j = await db().importJob.create({
      data: { ...src, fileName: "broken.csv", filePath: file, byteSize: BigInt(fs.statSync(file).size), delimiter: ",", headers: ["id", "plan"], mapping: { mode: "identify", columns: { id: { as: "user_id" } } }, status: "queued", totalRows: 2501 },
    });
    const claim = await claimImport({ workspaceId: src.workspaceId, importId: j.id });
    expect(await runImport({ claim: claim!, chunkRows: 1000 })).toEqual({ outcome: "failed", rowsDone: 2000 });
    expect(await job(src.workspaceId, j.id)).toMatchObject({ status: "failed", rowsDone: 2000, rowsImported: 2000, error: 'The file is not valid CSV at line 2502: a quoted field is not closed (missing ").' });
    expect(await events(src.sourceId)).toHaveLength(2000);
  });

  it("hands a job back to the queue on graceful shutdown, and the worker runs it to the end", async () => {
    const csv = writeCsv(5000);
    const imp = await prepare(csv, identifyMapping);
    const claim = await claimImport(imp);
    const aborted = AbortSignal.abort();
    expect(await runImport({ claim: claim!, signal: aborted })).toEqual({ outcome: "stopped", rowsDone: 0 });
    expect(await job(imp.workspaceId, imp.importId)).toMatchObject({ status: "queued" });

    const lines: string[] = [];
    const worker = startImportWorker({ pollIntervalMs: 50, log: (l) => lines.push(l) });
    try {
      for (let i = 0; i < 200 && (await importProgress(imp)).status !== "completed"; i++) await new Promise((r) => setTimeout(r, 50));
    } finally {
      await worker.stop();
    }
    expect(await importProgress(imp)).toMatchObject({ status: "completed", rowsDone: csv.total, rowsImported: csv.total - csv.bad.size, rowsFailed: csv.bad.size });
    expect(lines).toEqual([`[imports] ${imp.importId}: completed at row ${csv.total}`]);
    expect(await events(imp.sourceId)).toHaveLength(csv.total - csv.bad.size);
  });
});
