import { randomBytes } from "node:crypto";
import { AppError } from "@/lib/errors";
import { db } from "@/lib/db/prisma";
import { hashPassword } from "@/lib/auth/password";
import type { Role } from "@/lib/auth/permissions";

export interface AddMemberResult {
  userId: string;
  email: string;
  /** Set only when a new account was created: shown once to the admin, never stored in clear. */
  temporaryPassword: string | null;
}

/**
 * Adds an existing account to the workspace, or creates the account with a one-time password
 * for the admin to hand over (there is no outgoing email yet).
 */
export async function addMember(options: { workspaceId: string; email: string; role: Role; name?: string }): Promise<AddMemberResult> {
  const existing = await db().user.findUnique({ where: { email: options.email }, select: { id: true } });
  let temporaryPassword: string | null = null;
  let userId = existing?.id;
  if (!userId) {
    temporaryPassword = randomBytes(12).toString("base64url");
    const passwordHash = await hashPassword(temporaryPassword);
    const name = options.name?.trim() || options.email.split("@")[0];
    userId = (await db().user.upsert({ where: { email: options.email }, create: { email: options.email, name, passwordHash }, update: {}, select: { id: true } })).id;
  }
  const created = await db().membership.createMany({ data: [{ workspaceId: options.workspaceId, userId, role: options.role }], skipDuplicates: true });
  if (created.count === 0) throw new AppError("conflict", `${options.email} is already a member of this workspace.`, { email: ["Already a member."] });
  return { userId, email: options.email, temporaryPassword };
}
