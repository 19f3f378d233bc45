import { AppError } from "@/lib/errors";
import { db } from "@/lib/db/prisma";
import { isUuid } from "@/lib/db/uuid";

export async function getSource(options: { workspaceId: string; sourceId: string }) {
  if (!isUuid(options.sourceId)) throw new AppError("not_found", "Source not found.");
  const source = await db().source.findFirst({
    where: { workspaceId: options.workspaceId, id: options.sourceId },
    select: {
      id: true,
      name: true,
      kind: true,
      enabled: true,
      allowedOrigins: true,
      createdAt: true,
      writeKeys: { select: { key: true, createdAt: true, expiresAt: true }, orderBy: { createdAt: "desc" } },
    },
  });
  if (!source) throw new AppError("not_found", "Source not found.");
  const now = Date.now();
  const [current, ...older] = source.writeKeys.filter((k) => !k.expiresAt || k.expiresAt.getTime() > now);
  return { ...source, writeKey: current?.key ?? null, rotatedKeys: older };
}

export type SourceDetail = Awaited<ReturnType<typeof getSource>>;
