import { AppError } from "@/lib/errors";
import { db } from "@/lib/db/prisma";
import { generateWriteKey } from "@/lib/sources/generate-write-key";

/**
 * Issues a new write key. Keys still current end after `graceHours`, so clients can be
 * redeployed with the new key before the old one answers 401.
 */
export async function rotateWriteKey(options: { workspaceId: string; sourceId: string; graceHours: number; now?: Date }) {
  const now = options.now ?? new Date();
  const endsAt = new Date(now.getTime() + options.graceHours * 3600_000);
  return db().$transaction(async (tx) => {
    const source = await tx.source.findFirst({ where: { workspaceId: options.workspaceId, id: options.sourceId }, select: { id: true } });
    if (!source) throw new AppError("not_found", "Source not found.");
    await tx.sourceWriteKey.updateMany({
      where: { workspaceId: options.workspaceId, sourceId: options.sourceId, OR: [{ expiresAt: null }, { expiresAt: { gt: endsAt } }] },
      data: { expiresAt: endsAt },
    });
    // Keys long expired are of no use any more.
    await tx.sourceWriteKey.deleteMany({ where: { workspaceId: options.workspaceId, sourceId: options.sourceId, expiresAt: { lt: new Date(now.getTime() - 30 * 86400_000) } } });
    return tx.sourceWriteKey.create({ data: { workspaceId: options.workspaceId, sourceId: options.sourceId, key: generateWriteKey() }, select: { key: true, createdAt: true } });
  });
}
