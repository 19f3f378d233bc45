import { handlers } from "@/lib/auth/auth";
import { clientIp } from "@/lib/auth/client-ip";
import { formatWait, loginLimits, retryAfter } from "@/lib/auth/rate-limit";

export const GET = handlers.GET;

/** Auth.js answers a throttled credentials sign-in with a redirect; API clients get a 429. */
export async function POST(req: Request) {
  if (new URL(req.url).pathname.endsWith("/callback/credentials")) {
    const form = await req.clone().formData().catch(() => null);
    const wait = await retryAfter(loginLimits(String(form?.get("email") ?? ""), clientIp(req.headers)));
    if (wait > 0) {
      return Response.json(
        { error: { code: "rate_limited", message: `Too many sign-in attempts. Try again in ${formatWait(wait)}.` } },
        { status: 429, headers: { "Retry-After": String(wait) } },
      );
    }
  }
  return handlers.POST(req as Parameters<typeof handlers.POST>[0]);
}
