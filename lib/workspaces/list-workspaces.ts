import { db } from "@/lib/db/prisma";
import type { Role } from "@/lib/auth/permissions";

export interface WorkspaceListItem {
  id: string;
  slug: string;
  name: string;
  role: Role;
}

export async function listWorkspaces(options: { userId: string }): Promise<WorkspaceListItem[]> {
  const rows = await db().membership.findMany({
    where: { userId: options.userId },
    select: { role: true, workspace: { select: { id: true, slug: true, name: true } } },
    orderBy: { workspace: { name: "asc" } },
  });
  return rows.map((r) => ({ ...r.workspace, role: r.role }));
}
