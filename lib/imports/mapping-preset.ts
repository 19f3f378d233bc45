// "Save the mapping for the next import": the last mapping started on a source, preloaded for the
// next file on that source (columns the new file lacks are dropped).
import { db } from "@/lib/db/prisma";
import { importMappingSchema, mappingForHeaders, type ImportMapping } from "@/lib/imports/import-mapping";

export async function getMappingPreset(options: { workspaceId: string; sourceId: string; headers?: readonly string[] }): Promise<ImportMapping | null> {
  const preset = await db().importMappingPreset.findFirst({ where: { workspaceId: options.workspaceId, sourceId: options.sourceId }, select: { mapping: true } });
  if (!preset) return null;
  const parsed = importMappingSchema.safeParse(preset.mapping);
  // A preset saved under an older schema is simply not offered.
  if (!parsed.success) return null;
  return options.headers ? mappingForHeaders(parsed.data, options.headers) : parsed.data;
}
