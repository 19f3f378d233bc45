// Cancels an import that has not finished. A running import stops at its next chunk (its progress
// update is fenced on status); rows already committed stay imported.
import { db } from "@/lib/db/prisma";
import { AppError } from "@/lib/errors";

export async function cancelImport(options: { workspaceId: string; importId: string }): Promise<void> {
  const r = await db().importJob.updateMany({
    where: { workspaceId: options.workspaceId, id: options.importId, status: { in: ["draft", "queued", "running"] } },
    data: { status: "cancelled", finishedAt: new Date() },
  });
  if (r.count === 1) return;
  const job = await db().importJob.findFirst({ where: { workspaceId: options.workspaceId, id: options.importId }, select: { status: true } });
  if (!job) throw new AppError("not_found", "Import not found.");
  throw new AppError("conflict", `This import is already ${job.status}.`);
}
