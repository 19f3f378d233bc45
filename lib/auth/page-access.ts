import { forbidden, notFound, redirect } from "next/navigation";
import { isAppError } from "@/lib/errors";
import type { Permission } from "@/lib/auth/permissions";
import { requireUser, resolveAccess, type AccessContext } from "@/lib/auth/workspace-access";

/** For pages and layouts: sign-in redirect, 404 for foreign workspaces, 403 for missing permission. */
export async function requirePageAccess(workspaceSlug: string, permission: Permission): Promise<AccessContext> {
  try {
    const user = await requireUser();
    return await resolveAccess(user, workspaceSlug, permission);
  } catch (err) {
    if (!isAppError(err)) throw err;
    if (err.code === "unauthenticated") redirect(`/login?callbackUrl=${encodeURIComponent(`/${workspaceSlug}`)}`);
    if (err.code === "forbidden") forbidden();
    notFound();
  }
}
