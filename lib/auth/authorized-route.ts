// The one wrapper for route handlers, mirroring workspaceAction for server actions.
import { AppError, isAppError, statusFor } from "@/lib/errors";
import { isUuid } from "@/lib/db/uuid";
import type { Permission } from "@/lib/auth/permissions";
import { toActionError } from "@/lib/auth/authorized-action";
import { requireUser, resolveAccess, type AccessContext } from "@/lib/auth/workspace-access";

type RouteContext = { params: Promise<Record<string, string | string[]>> };

function errorResponse(err: unknown): Response {
  const error = toActionError(err);
  const status = isAppError(err) ? statusFor[err.code] : 500;
  return Response.json({ error }, { status });
}

export function workspaceRoute(permission: Permission, handler: (req: Request, ctx: AccessContext, params: Record<string, string | string[]>) => Promise<Response>) {
  return async (req: Request, route: RouteContext): Promise<Response> => {
    try {
      const params = await route.params;
      const user = await requireUser();
      const ctx = await resolveAccess(user, String(params.workspace), permission);
      // Route params named …Id are uuids; anything else cannot exist.
      for (const [name, value] of Object.entries(params)) {
        if (name.endsWith("Id") && !isUuid(value)) throw new AppError("not_found", "Not found.");
      }
      return await handler(req, ctx, params);
    } catch (err) {
      return errorResponse(err);
    }
  };
}
