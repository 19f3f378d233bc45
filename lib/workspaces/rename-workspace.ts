import { db } from "@/lib/db/prisma";

/** Renames the display name; the slug (and so every URL) stays the same. */
export async function renameWorkspace(options: { workspaceId: string; name: string }) {
  return db().workspace.update({ where: { id: options.workspaceId }, data: { name: options.name }, select: { id: true, slug: true, name: true } });
}
