// Mapping step: validates the mapping against the file's columns, saves it as the source's preset
// and queues the import for the background runner.
import { Prisma } from "@/lib/db/generated/client";
import { db } from "@/lib/db/prisma";
import { AppError } from "@/lib/errors";
import { parseMappingForHeaders, type ImportMapping } from "@/lib/imports/import-mapping";

export async function startImport(options: { workspaceId: string; importId: string; mapping: unknown }): Promise<{ mapping: ImportMapping }> {
  const job = await db().importJob.findFirst({ where: { workspaceId: options.workspaceId, id: options.importId }, select: { status: true, headers: true, sourceId: true } });
  if (!job) throw new AppError("not_found", "Import not found.");
  if (job.status !== "draft") throw new AppError("conflict", `This import is already ${job.status}.`);
  const parsed = parseMappingForHeaders(options.mapping, job.headers);
  if (!parsed.ok) throw new AppError("invalid_input", "Check the column mapping.", parsed.fieldErrors);
  const mapping = parsed.mapping;
  const json = mapping as unknown as Prisma.InputJsonValue;
  // Conditional on draft, so two clicks on "Start" queue the import once.
  const queued = await db().importJob.updateMany({ where: { workspaceId: options.workspaceId, id: options.importId, status: "draft" }, data: { status: "queued", mapping: json, mode: mapping.mode } });
  if (queued.count !== 1) throw new AppError("conflict", "This import has already been started.");
  await db().importMappingPreset.upsert({
    where: { workspaceId_sourceId: { workspaceId: options.workspaceId, sourceId: job.sourceId } },
    create: { workspaceId: options.workspaceId, sourceId: job.sourceId, headers: job.headers, mapping: json },
    update: { headers: job.headers, mapping: json },
  });
  return { mapping };
}
