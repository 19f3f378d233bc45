import { db } from "@/lib/db/prisma";
import type { Role } from "@/lib/auth/permissions";

export interface MemberRow {
  userId: string;
  email: string;
  name: string;
  role: Role;
  joinedAt: Date;
  lastLoginAt: Date | null;
  disabled: boolean;
}

export async function listMembers(options: { workspaceId: string }): Promise<MemberRow[]> {
  const rows = await db().membership.findMany({
    where: { workspaceId: options.workspaceId },
    select: { role: true, createdAt: true, user: { select: { id: true, email: true, name: true, lastLoginAt: true, disabledAt: true } } },
    orderBy: [{ role: "asc" }, { user: { email: "asc" } }],
  });
  return rows.map((r) => ({
    userId: r.user.id,
    email: r.user.email,
    name: r.user.name,
    role: r.role,
    joinedAt: r.createdAt,
    lastLoginAt: r.user.lastLoginAt,
    disabled: r.user.disabledAt !== null,
  }));
}
