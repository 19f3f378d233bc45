import { AppError } from "@/lib/errors";
import { db } from "@/lib/db/prisma";
import { hashPassword } from "@/lib/auth/password";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import type { WorkspaceRef } from "@/lib/auth/workspace-access";

const SETUP_LOCK = 72_707_370;

export async function isSetupComplete(): Promise<boolean> {
  return (await db().user.count()) > 0;
}

/**
 * First-run setup: creates the first admin and their workspace. Refused once any account exists;
 * an advisory lock makes two simultaneous submissions create one admin, not two.
 */
export async function createFirstAdmin(options: { name: string; email: string; password: string; workspaceName: string }): Promise<WorkspaceRef> {
  const passwordHash = await hashPassword(options.password);
  return db().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SETUP_LOCK})`;
    if ((await tx.user.count()) > 0) throw new AppError("forbidden", "Tessera is already set up. Sign in, or ask an admin to add you.");
    const user = await tx.user.create({ data: { email: options.email, name: options.name, passwordHash }, select: { id: true } });
    return createWorkspace({ name: options.workspaceName, adminUserId: user.id, tx });
  });
}
