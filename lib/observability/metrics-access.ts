import { timingSafeEqual } from "node:crypto";
import { clientIp } from "@/lib/auth/client-ip";
import { env } from "@/lib/env";

function isLoopback(ip: string) {
  return ip === "127.0.0.1" || ip === "::1" || ip === "::ffff:127.0.0.1";
}

/** With METRICS_TOKEN set, a matching bearer token; without it, scrapes from this machine only. */
export function canReadMetrics(headers: Headers): boolean {
  const token = env().METRICS_TOKEN;
  if (!token) return isLoopback(clientIp(headers));
  const given = Buffer.from(headers.get("authorization")?.replace(/^Bearer\s+/i, "") ?? "");
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
