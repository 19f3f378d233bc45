// One import with what the mapping page needs after a reload: headers, saved or preset mapping,
// and the preview rows (re-read from the head of the file; only the first rows are parsed).
import fs from "node:fs";
import { db } from "@/lib/db/prisma";
import { AppError } from "@/lib/errors";
import { parseCsvBatches, type CsvDelimiter } from "@/lib/imports/csv-parser";
import { importMappingSchema, type ImportMapping } from "@/lib/imports/import-mapping";
import { getMappingPreset } from "@/lib/imports/mapping-preset";

export async function readPreview(options: { filePath: string; delimiter: CsvDelimiter; rows?: number }): Promise<string[][]> {
  const want = (options.rows ?? 20) + 1;
  const out: string[][] = [];
  // Small reads: the preview needs a few KB, not a 256 KB chunk per step.
  for await (const batch of parseCsvBatches(fs.createReadStream(options.filePath, { highWaterMark: 16 * 1024 }), { delimiter: options.delimiter })) {
    for (const r of batch) {
      out.push(r.fields);
      if (out.length >= want) return out.slice(1);
    }
  }
  return out.slice(1);
}

export async function getImport(options: { workspaceId: string; importId: string; previewRows?: number }) {
  const job = await db().importJob.findFirst({
    where: { workspaceId: options.workspaceId, id: options.importId },
    select: { id: true, sourceId: true, fileName: true, filePath: true, byteSize: true, delimiter: true, headers: true, mapping: true, status: true, totalRows: true, createdAt: true },
  });
  if (!job) throw new AppError("not_found", "Import not found.");
  const saved = importMappingSchema.safeParse(job.mapping);
  const mapping: ImportMapping | null = saved.success ? saved.data : job.status === "draft" ? await getMappingPreset({ workspaceId: options.workspaceId, sourceId: job.sourceId, headers: job.headers }) : null;
  let preview: string[][] = [];
  try {
    preview = await readPreview({ filePath: job.filePath, delimiter: job.delimiter as CsvDelimiter, rows: options.previewRows });
  } catch {
    // The file may be gone (cleaned up); the page still shows the import.
  }
  const { filePath: _serverPath, byteSize, ...rest } = job;
  void _serverPath; // a server path is not for the browser
  return { ...rest, byteSize: Number(byteSize), mapping, preview };
}

export type ImportDetail = Awaited<ReturnType<typeof getImport>>;
