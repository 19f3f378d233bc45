// Applies a mapping to the preview rows, so the mapping form can show what each row becomes (or
// why it would be refused) before the import starts. Pure.
import { importMappingSchema } from "@/lib/imports/import-mapping";
import { createRowConverter, type RowResult } from "@/lib/imports/row-to-message";

export function previewMapping(options: { headers: readonly string[]; rows: readonly (readonly string[])[]; mapping: unknown }):
  | { ok: true; results: RowResult[] }
  | { ok: false; issues: { path: string; message: string }[] } {
  const parsed = importMappingSchema.safeParse(options.mapping);
  if (!parsed.success) return { ok: false, issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })) };
  const convert = createRowConverter({ headers: options.headers, mapping: parsed.data, importId: "preview" });
  return { ok: true, results: options.rows.map((row, i) => convert(row, i + 1)) };
}
