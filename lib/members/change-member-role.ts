import { db } from "@/lib/db/prisma";
import type { Role } from "@/lib/auth/permissions";
import { assertNotLastAdmin, lockMemberships } from "@/lib/members/admin-guard";

export async function changeMemberRole(options: { workspaceId: string; userId: string; role: Role }): Promise<void> {
  await db().$transaction(async (tx) => {
    const state = await lockMemberships(tx, options.workspaceId, options.userId);
    if (state.role === options.role) return;
    if (options.role !== "admin") assertNotLastAdmin(state, "change the role of");
    await tx.membership.update({
      where: { workspaceId_userId: { workspaceId: options.workspaceId, userId: options.userId } },
      data: { role: options.role },
    });
  });
}
