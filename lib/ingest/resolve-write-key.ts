// Write key → source, cached briefly per process: the tracking API must not cost a lookup per
// request. A disabled source or an expired rotated key stops working within CACHE_MS.
import type pg from "pg";

export interface SourceAuth {
  workspaceId: string;
  sourceId: string;
  enabled: boolean;
  allowedOrigins: string[];
  /** When a rotated key stops working (null: current key). */
  expiresAt: number | null;
}

const CACHE_MS = 5000;
const MAX_ENTRIES = 10_000;
const cache = new Map<string, { value: SourceAuth | null; until: number }>();

export function forgetWriteKeys() {
  cache.clear();
}

export async function resolveWriteKey(pool: pg.Pool, key: string, now = Date.now()): Promise<SourceAuth | null> {
  const hit = cache.get(key);
  let value: SourceAuth | null;
  if (hit && hit.until > now) {
    value = hit.value;
  } else {
    const { rows } = await pool.query<{ workspace_id: string; source_id: string; enabled: boolean; allowed_origins: string[] | null; expires_at: Date | null }>(
      `SELECT k.workspace_id, k.source_id, s.enabled, s.allowed_origins, k.expires_at
       FROM source_write_keys k JOIN sources s ON s.workspace_id = k.workspace_id AND s.id = k.source_id
       WHERE k.key = $1`,
      [key],
    );
    const row = rows[0];
    value = row
      ? { workspaceId: row.workspace_id, sourceId: row.source_id, enabled: row.enabled, allowedOrigins: row.allowed_origins ?? [], expiresAt: row.expires_at?.getTime() ?? null }
      : null;
    if (cache.size >= MAX_ENTRIES) cache.clear();
    cache.set(key, { value, until: now + CACHE_MS });
  }
  if (value && value.expiresAt !== null && value.expiresAt <= now) return null;
  return value;
}
