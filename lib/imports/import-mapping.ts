// What each CSV column means for an import: one zod schema shared by the mapping form, the saved
// presets and the import runner. Columns are keyed by header (headers are made unique and
// non-empty when the upload is analysed, see analyze-upload.ts).
import { z } from "zod";

export const VALUE_TYPES = ["string", "number", "boolean", "date"] as const;
export type ValueType = (typeof VALUE_TYPES)[number];

const valueType = z.enum(VALUE_TYPES, { error: "Choose string, number, boolean or date." });
const key = z.string({ error: "Enter a key." }).trim().min(1, { error: "Enter a key." }).max(200, { error: "Use at most 200 characters." });
/** Custom identifier types become `context.externalIds[].type`, so keep them machine-friendly. */
export const idTypeSchema = z
  .string({ error: "Enter an identifier type." })
  .trim()
  .regex(/^[a-z][a-z0-9_]{0,49}$/i, { error: "Use letters, digits and _ (starting with a letter, at most 50), e.g. loyalty_id." });

export const columnMappingSchema = z.discriminatedUnion(
  "as",
  [
    z.object({ as: z.literal("user_id") }),
    z.object({ as: z.literal("anonymous_id") }),
    z.object({ as: z.literal("email") }),
    z.object({ as: z.literal("phone") }),
    z.object({ as: z.literal("external_id"), idType: idTypeSchema }),
    z.object({ as: z.literal("trait"), trait: key, type: valueType.default("string") }),
    z.object({ as: z.literal("event_name") }),
    z.object({ as: z.literal("timestamp") }),
    z.object({ as: z.literal("property"), property: key, type: valueType.default("string") }),
    z.object({ as: z.literal("ignore") }),
  ],
  { error: "Choose what this column is." },
);
export type ColumnMapping = z.infer<typeof columnMappingSchema>;

export const IDENTIFIER_KINDS = ["user_id", "anonymous_id", "email", "phone", "external_id"] as const;
const isIdentifier = (c: ColumnMapping) => (IDENTIFIER_KINDS as readonly string[]).includes(c.as);

export const importMappingSchema = z
  .object({
    mode: z.enum(["identify", "track"], { error: "Choose identify (profiles) or track (events)." }),
    columns: z.record(z.string(), columnMappingSchema),
    eventName: z.string().trim().min(1).max(200, { error: "Use at most 200 characters." }).optional(),
  })
  .superRefine((m, ctx) => {
    const entries = Object.entries(m.columns);
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
    if (!entries.some(([, c]) => isIdentifier(c))) {
      issue(["columns"], "Map at least one column to an identifier (user id, anonymous id, email, phone or a custom id).");
    }
    for (const single of ["user_id", "anonymous_id", "event_name", "timestamp"] as const) {
      const cols = entries.filter(([, c]) => c.as === single);
      if (cols.length > 1) issue(["columns", cols[1][0]], `Only one column can be the ${single.replace("_", " ")} (also mapped: ${cols[0][0]}).`);
    }
    const seen = new Map<string, string>();
    for (const [header, c] of entries) {
      const target = c.as === "trait" ? `trait ${c.trait}` : c.as === "property" ? `property ${c.property}` : c.as === "external_id" ? `id ${c.idType.toLowerCase()}` : null;
      if (!target) continue;
      const other = seen.get(target);
      if (other !== undefined) issue(["columns", header], `${target} is already mapped from column ${other}.`);
      else seen.set(target, header);
      if (c.as === "trait" && (c.trait === "email" || c.trait === "phone")) issue(["columns", header], `Map this column as ${c.trait} (an identifier) rather than as a trait.`);
    }
    if (m.mode === "track") {
      const eventColumn = entries.find(([, c]) => c.as === "event_name");
      if (!eventColumn && !m.eventName) issue(["eventName"], "Track imports need an event name: map an event name column or enter a constant name.");
      if (eventColumn && m.eventName) issue(["eventName"], `Use either the event name column (${eventColumn[0]}) or a constant name, not both.`);
    } else {
      for (const [header, c] of entries) {
        if (c.as === "event_name" || c.as === "timestamp" || c.as === "property") issue(["columns", header], `${c.as.replace("_", " ")} columns only apply to track (event) imports.`);
      }
      if (m.eventName) issue(["eventName"], "An event name only applies to track (event) imports.");
    }
  });

export type ImportMapping = z.infer<typeof importMappingSchema>;
export type ImportMappingInput = z.input<typeof importMappingSchema>;

/** Issues as { "columns.Email": ["…"] } for forms; the message of AppError-style field errors. */
export function mappingFieldErrors(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const i of error.issues) (out[i.path.join(".") || "mapping"] ??= []).push(i.message);
  return out;
}

/**
 * Validates a mapping against the headers of a file: every mapped column must exist. Columns of
 * the file missing from the mapping are ignored.
 */
export function parseMappingForHeaders(input: unknown, headers: readonly string[]): { ok: true; mapping: ImportMapping } | { ok: false; fieldErrors: Record<string, string[]> } {
  const parsed = importMappingSchema.safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: mappingFieldErrors(parsed.error) };
  const known = new Set(headers);
  const missing = Object.keys(parsed.data.columns).filter((h) => !known.has(h));
  if (missing.length > 0) {
    return { ok: false, fieldErrors: Object.fromEntries(missing.map((h) => [`columns.${h}`, [`The file has no column "${h}".`]])) };
  }
  return { ok: true, mapping: parsed.data };
}

/**
 * A saved mapping (preset) applied to a new file: columns the file lacks are dropped, so the
 * form opens with whatever still fits.
 */
export function mappingForHeaders(saved: ImportMapping, headers: readonly string[]): ImportMapping {
  const known = new Set(headers);
  return { ...saved, columns: Object.fromEntries(Object.entries(saved.columns).filter(([h]) => known.has(h))) };
}
