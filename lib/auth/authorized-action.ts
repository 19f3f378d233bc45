// The one wrapper for server actions. A server action is a public POST endpoint: the session,
// the workspace membership and the named permission are checked inside it, every time.
import { z } from "zod";
import { AppError, isAppError, type AppErrorCode } from "@/lib/errors";
import type { Permission } from "@/lib/auth/permissions";
import type { CurrentUser } from "@/lib/auth/current-user";
import { requireUser, resolveAccess, type AccessContext } from "@/lib/auth/workspace-access";

export type ActionError = { code: AppErrorCode | "internal"; message: string; fieldErrors?: Record<string, string[]> };
export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: ActionError };

export function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) (out[issue.path.join(".") || "_"] ??= []).push(issue.message);
  return out;
}

export function toActionError(err: unknown): ActionError {
  if (isAppError(err)) return { code: err.code, message: err.message, fieldErrors: err.fieldErrors };
  console.error("[action] unexpected error", err);
  return { code: "internal", message: "Something went wrong on our side. Try again; if it keeps failing, check the server log." };
}

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const fieldErrors = fieldErrorsOf(parsed.error);
    const first = parsed.error.issues[0];
    throw new AppError("invalid_input", first ? `${first.path.join(".") || "Input"}: ${first.message}` : "Invalid input.", fieldErrors);
  }
  return parsed.data;
}

async function settle<T>(work: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await work() };
  } catch (err) {
    // Next's redirect()/notFound() are control flow, not failures.
    if (err && typeof err === "object" && "digest" in err && String((err as { digest: unknown }).digest).startsWith("NEXT_")) throw err;
    return { ok: false, error: toActionError(err) };
  }
}

/** An action inside a workspace: membership + the named permission. */
export function workspaceAction<S extends z.ZodType, T>(config: {
  permission: Permission;
  input: S;
  run: (input: z.output<S>, ctx: AccessContext) => Promise<T>;
}) {
  return (workspaceSlug: string, input: z.input<S>): Promise<ActionResult<T>> =>
    settle(async () => {
      const user = await requireUser();
      const ctx = await resolveAccess(user, String(workspaceSlug), config.permission);
      return config.run(parse(config.input, input), ctx);
    });
}

/** An action of a signed-in user outside any workspace (e.g. creating a workspace). */
export function userAction<S extends z.ZodType, T>(config: { input: S; run: (input: z.output<S>, user: CurrentUser) => Promise<T> }) {
  return (input: z.input<S>): Promise<ActionResult<T>> =>
    settle(async () => {
      const user = await requireUser();
      return config.run(parse(config.input, input), user);
    });
}

/** An action anyone may call (sign-in, first-run setup); it must guard itself. */
export function publicAction<S extends z.ZodType, T>(config: { input: S; run: (input: z.output<S>) => Promise<T> }) {
  return (input: z.input<S>): Promise<ActionResult<T>> => settle(async () => config.run(parse(config.input, input)));
}
