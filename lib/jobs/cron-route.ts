// The one wrapper for cron routes (/api/cron/<job>): `Authorization: Bearer $CRON_SECRET`, compared
// in constant time, refused while the secret is unset. The job itself is bounded and idempotent,
// so an external scheduler may call it as often as it likes; the worker process runs it too.
import { timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";

function authorized(headers: Headers): boolean {
  const secret = env().CRON_SECRET;
  if (!secret) return false;
  const given = Buffer.from(headers.get("authorization")?.replace(/^Bearer\s+/i, "") ?? "");
  const expected = Buffer.from(secret);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function cronRoute(job: string, run: () => Promise<Record<string, unknown>>) {
  return async (req: Request): Promise<Response> => {
    if (!env().CRON_SECRET) return Response.json({ error: { code: "unavailable", message: "Set CRON_SECRET to call cron routes." } }, { status: 503 });
    if (!authorized(req.headers)) return Response.json({ error: { code: "unauthenticated", message: "Send Authorization: Bearer <CRON_SECRET>." } }, { status: 401 });
    try {
      return Response.json({ job, ...(await run()) });
    } catch (err) {
      console.error(`[cron] ${job} failed`, err);
      return Response.json({ error: { code: "internal", message: `${job} failed; see the server log.` } }, { status: 500 });
    }
  };
}
