import { env } from "@/lib/env";

/** Where clients reach this Tessera: APP_URL when set, else the host the admin is browsing. */
export function publicOrigin(headers: Headers): string {
  const configured = env().APP_URL;
  if (configured) return new URL(configured).origin;
  const host = headers.get("x-forwarded-host") ?? headers.get("host") ?? `localhost:${env().PORT}`;
  const proto = headers.get("x-forwarded-proto") ?? "http";
  return `${proto}://${host}`;
}
