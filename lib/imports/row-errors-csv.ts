// The row errors of an import as a downloadable CSV, streamed from the database in keyset pages so
// a million errors never sit in memory at once.
import type pg from "pg";
import { getPool } from "@/lib/db/pool";
import { csvField } from "@/lib/imports/csv-parser";

/** Spreadsheets run cells starting with = + - @ as formulas: such values get a leading '. */
function spreadsheetSafe(value: string) {
  return /^[=+\-@\t\r]/.test(value) && !/^[+-]?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
}

export interface ImportRowErrorRow {
  rowNumber: number;
  line: number;
  column: string;
  value: string;
  reason: string;
}

/** One page of errors after (afterRow, afterColumn), in file order. */
export async function listRowErrors(options: { workspaceId: string; importId: string; after?: { rowNumber: number; column: string }; limit?: number; pool?: pg.Pool }): Promise<ImportRowErrorRow[]> {
  const { rows } = await (options.pool ?? getPool()).query<{ row_number: number; line: number; column: string; value: string; reason: string }>(
    `SELECT row_number, line, "column", value, reason FROM import_row_errors
     WHERE workspace_id = $1 AND import_id = $2 AND (row_number, "column") > ($3, $4)
     ORDER BY row_number, "column" LIMIT $5`,
    [options.workspaceId, options.importId, options.after?.rowNumber ?? 0, options.after?.column ?? "", Math.min(Math.max(options.limit ?? 100, 1), 10_000)],
  );
  return rows.map((r) => ({ rowNumber: r.row_number, line: r.line, column: r.column, value: r.value, reason: r.reason }));
}

/** Error counts by column and reason, most frequent first (for the summary above the table). */
export async function summarizeRowErrors(options: { workspaceId: string; importId: string; limit?: number; pool?: pg.Pool }) {
  const { rows } = await (options.pool ?? getPool()).query<{ column: string; reason: string; rows: number }>(
    `SELECT "column", reason, count(*)::int AS rows FROM import_row_errors WHERE workspace_id = $1 AND import_id = $2
     GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT $3`,
    [options.workspaceId, options.importId, options.limit ?? 20],
  );
  return rows;
}

/**
 * CSV text in pieces: a header line, then one piece per page. `row` is the data row (1 = first row
 * after the header), `line` the line of the file it starts on.
 */
export async function* rowErrorsCsv(options: { workspaceId: string; importId: string; pageSize?: number; pool?: pg.Pool }): AsyncGenerator<string> {
  yield "row,line,column,value,reason\r\n";
  let after: { rowNumber: number; column: string } | undefined;
  for (;;) {
    const page = await listRowErrors({ ...options, after, limit: options.pageSize ?? 5000 });
    if (page.length === 0) return;
    yield page.map((e) => `${e.rowNumber},${e.line},${csvField(spreadsheetSafe(e.column))},${csvField(spreadsheetSafe(e.value))},${csvField(e.reason)}\r\n`).join("");
    const last = page[page.length - 1];
    after = { rowNumber: last.rowNumber, column: last.column };
  }
}
