import { AppError } from "@/lib/errors";
import { db } from "@/lib/db/prisma";
import { can, type Permission, type Role } from "@/lib/auth/permissions";
import { currentUser, type CurrentUser } from "@/lib/auth/current-user";

export interface WorkspaceRef {
  id: string;
  slug: string;
  name: string;
}

export interface AccessContext {
  user: CurrentUser;
  workspace: WorkspaceRef;
  role: Role;
}

export async function requireUser(): Promise<CurrentUser> {
  const user = await currentUser();
  if (!user) throw new AppError("unauthenticated", "Your session has ended. Sign in again.");
  return user;
}

/**
 * Membership and permission in one place. A workspace the user is not a member of is reported
 * as not found, so its existence is not revealed.
 */
export async function resolveAccess(user: CurrentUser, workspaceSlug: string, permission: Permission): Promise<AccessContext> {
  const membership = await db().membership.findFirst({
    where: { userId: user.id, workspace: { slug: workspaceSlug } },
    select: { role: true, workspace: { select: { id: true, slug: true, name: true } } },
  });
  if (!membership) throw new AppError("not_found", "Workspace not found.");
  if (!can(membership.role, permission)) throw new AppError("forbidden", "Your role does not allow this.");
  return { user, workspace: membership.workspace, role: membership.role };
}
