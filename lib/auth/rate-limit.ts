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
  const { rows } = await getPool().query<{ key: string; window_start: Date; count: number }>(
    `SELECT key, window_start, count FROM rate_limit_buckets WHERE key = ANY($1)`,
    [limits.map((l) => l.key)],
  );
  let wait = 0;
  for (const limit of limits) {
    const row = rows.find((r) => r.key === limit.key);
    if (!row) continue;
    const resetsAt = row.window_start.getTime() + limit.windowSeconds * 1000;
    if (resetsAt > Date.now() && row.count >= limit.max) wait = Math.max(wait, Math.ceil((resetsAt - Date.now()) / 1000));
  }
  return wait;
}

/** Counts one failure against each limit, starting a new window where the old one ended. */
export async function recordFailure(limits: Limit[]): Promise<void> {
  await getPool().query(
    `INSERT INTO rate_limit_buckets (key, window_start, count)
     SELECT k, now(), 1 FROM unnest($1::text[]) AS k
     ON CONFLICT (key) DO UPDATE SET
       count = CASE WHEN rate_limit_buckets.window_start + make_interval(secs => w.secs) <= now() THEN 1 ELSE rate_limit_buckets.count + 1 END,
       window_start = CASE WHEN rate_limit_buckets.window_start + make_interval(secs => w.secs) <= now() THEN now() ELSE rate_limit_buckets.window_start END
     FROM (SELECT unnest($1::text[]) AS key, unnest($2::int[]) AS secs) AS w
     WHERE w.key = rate_limit_buckets.key`,
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
