// Upload step: the file is streamed to TESSERA_DATA_DIR/imports/<workspace>/<import>.csv (never
// held in memory, refused past 100 MB), analysed, and recorded as a draft import. The answer
// carries the preview and the source's saved mapping (restricted to this file's columns).
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { db } from "@/lib/db/prisma";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { analyzeUpload, MAX_IMPORT_BYTES, type UploadAnalysis } from "@/lib/imports/analyze-upload";
import { getMappingPreset } from "@/lib/imports/mapping-preset";
import type { ImportMapping } from "@/lib/imports/import-mapping";

export function importsDir(workspaceId: string) {
  return path.resolve(env().TESSERA_DATA_DIR, "imports", workspaceId);
}

/** A Node stream, any (async) iterable of bytes, or a web ReadableStream (e.g. request.body). */
type Body = AsyncIterable<Uint8Array> | Iterable<Uint8Array> | ReadableStream<Uint8Array>;

function limitBytes(max: number) {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > max) done(new AppError("invalid_input", `The file is larger than ${max / 1024 / 1024} MB.`));
      else done(null, chunk);
    },
  });
}

export async function createImport(options: {
  workspaceId: string;
  sourceId: string;
  fileName: string;
  body: Body;
  createdById?: string | null;
  /** Where to keep the file; defaults to importsDir(workspaceId). */
  directory?: string;
}): Promise<{ importId: string; analysis: UploadAnalysis; savedMapping: ImportMapping | null }> {
  const source = await db().source.findFirst({ where: { workspaceId: options.workspaceId, id: options.sourceId }, select: { id: true, enabled: true } });
  if (!source) throw new AppError("not_found", "Source not found.");
  if (!source.enabled) throw new AppError("conflict", "This source is disabled; enable it before importing.");
  const fileName = path.basename(options.fileName.replace(/\\/g, "/")).slice(0, 255) || "upload.csv";

  const importId = randomUUID();
  const dir = options.directory ?? importsDir(options.workspaceId);
  await fs.promises.mkdir(dir, { recursive: true });
  const filePath = path.join(dir, `${importId}.csv`);
  const body = options.body;
  const input = body instanceof ReadableStream ? Readable.fromWeb(body as import("node:stream/web").ReadableStream<Uint8Array>) : Readable.from(body);
  let analysis: UploadAnalysis;
  try {
    await pipeline(input, limitBytes(MAX_IMPORT_BYTES), fs.createWriteStream(filePath, { flags: "wx" }));
    analysis = await analyzeUpload({ filePath });
  } catch (err) {
    await fs.promises.rm(filePath, { force: true });
    throw err;
  }
  await db().importJob.create({
    data: {
      workspaceId: options.workspaceId,
      id: importId,
      sourceId: options.sourceId,
      fileName,
      filePath,
      byteSize: BigInt(analysis.byteSize),
      delimiter: analysis.delimiter,
      headers: analysis.headers,
      totalRows: analysis.totalRows,
      createdById: options.createdById ?? null,
    },
    select: { id: true },
  });
  const savedMapping = await getMappingPreset({ workspaceId: options.workspaceId, sourceId: options.sourceId, headers: analysis.headers });
  return { importId, analysis, savedMapping };
}
