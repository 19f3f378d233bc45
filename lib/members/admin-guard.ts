import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/db/generated/client";
import type { Role } from "@/lib/auth/permissions";

/**
 * Locks the workspace's memberships for the rest of the transaction and returns the member's
 * current role and the number of admins, so two concurrent demotions cannot both pass the
 * last-admin check.
 */
export async function lockMemberships(tx: Prisma.TransactionClient, workspaceId: string, userId: string): Promise<{ role: Role; admins: number }> {
  const rows = await tx.$queryRaw<{ user_id: string; role: Role }[]>`
    SELECT user_id::text, role::text AS role FROM memberships WHERE workspace_id = ${workspaceId}::uuid FOR UPDATE`;
  const member = rows.find((r) => r.user_id === userId);
  if (!member) throw new AppError("not_found", "That person is not a member of this workspace.");
  return { role: member.role, admins: rows.filter((r) => r.role === "admin").length };
}

export function assertNotLastAdmin(state: { role: Role; admins: number }, action: string) {
  if (state.role === "admin" && state.admins <= 1) {
    throw new AppError("conflict", `You cannot ${action} the last admin. Make someone else an admin first.`);
  }
}
