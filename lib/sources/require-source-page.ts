import { notFound } from "next/navigation";
import { isAppError } from "@/lib/errors";
import { requirePageAccess } from "@/lib/auth/page-access";
import type { Permission } from "@/lib/auth/permissions";
import { getSource } from "@/lib/sources/get-source";

/** For source pages: access to the workspace with `permission`, and a 404 for a foreign or unknown source. */
export async function requireSourcePage(slug: string, sourceId: string, permission: Permission) {
  const access = await requirePageAccess(slug, permission);
  try {
    return { ...access, source: await getSource({ workspaceId: access.workspace.id, sourceId }) };
  } catch (err) {
    if (isAppError(err) && err.code === "not_found") notFound();
    throw err;
  }
}
