import { db } from "@/lib/db/prisma";
import { assertNotLastAdmin, lockMemberships } from "@/lib/members/admin-guard";

export async function removeMember(options: { workspaceId: string; userId: string }): Promise<void> {
  await db().$transaction(async (tx) => {
    const state = await lockMemberships(tx, options.workspaceId, options.userId);
    assertNotLastAdmin(state, "remove");
    await tx.membership.delete({ where: { workspaceId_userId: { workspaceId: options.workspaceId, userId: options.userId } } });
  });
}
