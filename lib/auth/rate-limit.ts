// Fixed-window counters in Postgres, so every app process shares them. One statement per hit.
import { getPool } from "@/lib/db/pool";

export interface Limit {
  key: string;
  max: number;
  windowSeconds: number;
}

export const LOGIN_LIMITS = {
  perAccount: { max: 5, windowSeconds: 15 * 60 },
  perIp: { max: 30, windowSeconds: 15 * 60 },
};

export function loginLimits(email: string, ip: string): Limit[] {
  return [
    { key: `login:account:${email.trim().toLowerCase()}`, ...LOGIN_LIMITS.perAccount },
    { key: `login:ip:${ip}`, ...LOGIN_LIMITS.perIp },
  ];
}

/** Seconds until the caller may try again, or 0 when every limit has room left. */
export async function retryAfter(limits: Limit[]): Promise<number> {
  const { rows } = await getPool().query<{ key: string; count: number; seconds_left: number }>(
    `SELECT key, count, ceil(extract(epoch FROM window_ends_at - now()))::int AS seconds_left
     FROM rate_limit_buckets WHERE key = ANY($1) AND window_ends_at > now()`,
    [limits.map((l) => l.key)],
  );
  let wait = 0;
  for (const limit of limits) {
    const row = rows.find((r) => r.key === limit.key);
    if (row && row.count >= limit.max) wait = Math.max(wait, row.seconds_left);
  }
  return wait;
}

/** Counts one failure against each limit, starting a new window where the old one ended. */
export async function recordFailure(limits: Limit[]): Promise<void> {
  await getPool().query(
    `INSERT INTO rate_limit_buckets (key, window_ends_at, count)
     SELECT key, now() + make_interval(secs => secs), 1 FROM unnest($1::text[], $2::int[]) AS l(key, secs)
     ON CONFLICT (key) DO UPDATE SET
       count = CASE WHEN rate_limit_buckets.window_ends_at <= now() THEN 1 ELSE rate_limit_buckets.count + 1 END,
       window_ends_at = CASE WHEN rate_limit_buckets.window_ends_at <= now() THEN EXCLUDED.window_ends_at ELSE rate_limit_buckets.window_ends_at END`,
    [limits.map((l) => l.key), limits.map((l) => l.windowSeconds)],
  );
}

export async function clearLimits(keys: string[]): Promise<void> {
  await getPool().query(`DELETE FROM rate_limit_buckets WHERE key = ANY($1)`, [keys]);
}

export function formatWait(seconds: number): string {
  const minutes = Math.ceil(seconds / 60);
  return minutes <= 1 ? "a minute" : `${minutes} minutes`;
}
