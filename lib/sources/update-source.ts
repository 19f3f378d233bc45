import { AppError } from "@/lib/errors";
import { db } from "@/lib/db/prisma";

export async function updateSource(options: { workspaceId: string; sourceId: string; name?: string; enabled?: boolean; allowedOrigins?: string[] }) {
  const { count } = await db().source.updateMany({
    where: { workspaceId: options.workspaceId, id: options.sourceId },
    data: { name: options.name, enabled: options.enabled, allowedOrigins: options.allowedOrigins },
  });
  if (count === 0) throw new AppError("not_found", "Source not found.");
}
