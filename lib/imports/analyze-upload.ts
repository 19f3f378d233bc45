// First look at an uploaded CSV file: delimiter (from the first 64 KB), headers, a preview, and the
// number of data rows (one streaming pass with the same parser the import uses, so the count and
// the row numbers agree).
import fs from "node:fs";
import { StringDecoder } from "node:string_decoder";
import { AppError } from "@/lib/errors";
import { CsvError, detectDelimiter, parseCsvBatches, type CsvDelimiter } from "@/lib/imports/csv-parser";

export const MAX_IMPORT_BYTES = 100 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 1_000_000;
const SAMPLE_BYTES = 64 * 1024;

export interface UploadAnalysis {
  delimiter: CsvDelimiter;
  /** Unique, non-empty column names (see uniqueHeaders). */
  headers: string[];
  /** First rows after the header, as in the file. */
  preview: string[][];
  totalRows: number;
  byteSize: number;
  /** Things worth telling the user that do not stop the import. */
  warnings: string[];
}

/** Blank headers become column_<n>; repeated ones get " (2)", " (3)"… so mappings can key on them. */
export function uniqueHeaders(raw: readonly string[]): string[] {
  const seen = new Set<string>();
  return raw.map((h, i) => {
    const base = h.trim() || `column_${i + 1}`;
    let name = base;
    for (let n = 2; seen.has(name); n++) name = `${base} (${n})`;
    seen.add(name);
    return name;
  });
}

async function readSample(filePath: string): Promise<string> {
  const handle = await fs.promises.open(filePath, "r");
  try {
    const buffer = Buffer.alloc(SAMPLE_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SAMPLE_BYTES, 0);
    // write() keeps back an incomplete trailing character instead of producing U+FFFD.
    return new StringDecoder("utf8").write(buffer.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/** Spreadsheets and other binary files, told apart by their first bytes (a CSV has no NUL). */
function binaryKind(sample: string): string | null {
  if (sample.startsWith("PK\u0003\u0004")) return "an Excel workbook or a zip archive";
  if (sample.startsWith("%PDF")) return "a PDF document";
  if (sample.startsWith("\ufffdPNG") || sample.startsWith("\u0089PNG")) return "a PNG image";
  if (sample.startsWith("\ufffd\ufffd\u0011\ufffd") || sample.startsWith("\u00d0\u00cf\u0011\u00e0")) return "an old Excel (.xls) workbook";
  if (sample.includes("\u0000")) return "a binary file";
  return null;
}

export async function analyzeUpload(options: { filePath: string; previewRows?: number; maxRows?: number }): Promise<UploadAnalysis> {
  const previewRows = options.previewRows ?? 20;
  const maxRows = options.maxRows ?? MAX_IMPORT_ROWS;
  const { size } = await fs.promises.stat(options.filePath);
  if (size > MAX_IMPORT_BYTES) throw new AppError("invalid_input", `The file is ${(size / 1024 / 1024).toFixed(1)} MB; the limit is 100 MB.`);
  if (size === 0) throw new AppError("invalid_input", "The file is empty.");

  const sample = await readSample(options.filePath);
  const kind = binaryKind(sample);
  if (kind) throw new AppError("invalid_input", `This is not a CSV file (it looks like ${kind}). Export it as CSV (UTF-8) and upload that.`);
  const delimiter = detectDelimiter(sample);
  const warnings: string[] = [];
  if (sample.includes("\ufffd")) warnings.push("The file is not valid UTF-8 (is it Windows-1252 or Latin-1?); some characters will show as �. Save it as UTF-8 to keep them.");

  let rawHeaders: string[] | null = null;
  const preview: string[][] = [];
  let totalRows = 0;
  try {
    for await (const batch of parseCsvBatches(fs.createReadStream(options.filePath, { highWaterMark: 256 * 1024 }), { delimiter })) {
      for (const rec of batch) {
        if (!rawHeaders) {
          rawHeaders = rec.fields;
          continue;
        }
        totalRows++;
        if (preview.length < previewRows) preview.push(rec.fields);
      }
      if (totalRows > maxRows) throw new AppError("invalid_input", `The file has more than ${maxRows.toLocaleString("en")} rows; split it into smaller files.`);
    }
  } catch (err) {
    if (err instanceof CsvError) throw new AppError("invalid_input", `The file is not valid CSV: ${err.message}.`);
    throw err;
  }
  if (!rawHeaders) throw new AppError("invalid_input", "The file has no header row.");
  if (totalRows === 0) throw new AppError("invalid_input", "The file has a header but no data rows.");
  const headers = uniqueHeaders(rawHeaders);
  if (headers.length === 1 && sample.length > 0) warnings.push("Only one column was found: check that the file uses commas, semicolons or tabs between columns.");
  return { delimiter, headers, preview, totalRows, byteSize: size, warnings };
}
