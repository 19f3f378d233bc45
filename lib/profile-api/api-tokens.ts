// Profile API access tokens: random, shown once, stored as SHA-256 (a 190-bit random token needs no
// slow hash), revocable. Resolution is cached for a few seconds per process, like write keys.
import { createHash } from "node:crypto";
import type pg from "pg";
import { getPool } from "@/lib/db/pool";
import { db } from "@/lib/db/prisma";
import { AppError } from "@/lib/errors";
import { generateWriteKey } from "@/lib/sources/generate-write-key";

const TOKEN_PREFIX = "tsr_";
const CACHE_MS = 5000;

export const hashApiToken = (token: string) => createHash("sha256").update(token).digest("hex");

export async function createApiToken(options: { workspaceId: string; name: string; createdById?: string | null; rateLimitPerSecond?: number }) {
  const name = options.name.trim();
  if (!name) throw new AppError("invalid_input", "Give the token a name, e.g. the system that will use it.", { name: ["Required"] });
  if (name.length > 100) throw new AppError("invalid_input", "Keep the name under 100 characters.", { name: ["Too long"] });
  const token = `${TOKEN_PREFIX}${generateWriteKey()}`;
  const row = await db().apiToken.create({
    data: { workspaceId: options.workspaceId, name, prefix: token.slice(0, 8), tokenHash: hashApiToken(token), createdById: options.createdById ?? null, rateLimitPerSecond: options.rateLimitPerSecond },
  });
  return { id: row.id, name: row.name, prefix: row.prefix, token };
}

export async function listApiTokens(workspaceId: string) {
  return db().apiToken.findMany({
    where: { workspaceId },
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, prefix: true, rateLimitPerSecond: true, createdAt: true, lastUsedAt: true, revokedAt: true },
  });
}

export async function revokeApiToken(options: { workspaceId: string; tokenId: string }) {
  const r = await db().apiToken.updateMany({ where: { workspaceId: options.workspaceId, id: options.tokenId, revokedAt: null }, data: { revokedAt: new Date() } });
  if (r.count === 0) throw new AppError("not_found", "Token not found or already revoked.");
  cache.clear();
}

export interface ResolvedApiToken {
  workspaceId: string;
  tokenId: string;
  rateLimitPerSecond: number;
}

const cache = new Map<string, { value: ResolvedApiToken | null; until: number }>();

export async function resolveApiToken(token: string, pool: pg.Pool = getPool()): Promise<ResolvedApiToken | null> {
  const hash = hashApiToken(token);
  const hit = cache.get(hash);
  if (hit && hit.until > Date.now()) return hit.value;
  const { rows } = await pool.query<{ workspace_id: string; id: string; rate_limit_per_second: number }>(
    `UPDATE api_tokens SET last_used_at = now() WHERE token_hash = $1 AND revoked_at IS NULL RETURNING workspace_id, id, rate_limit_per_second`,
    [hash],
  );
  const value = rows[0] ? { workspaceId: rows[0].workspace_id, tokenId: rows[0].id, rateLimitPerSecond: rows[0].rate_limit_per_second } : null;
  if (cache.size > 10_000) cache.clear();
  cache.set(hash, { value, until: Date.now() + CACHE_MS });
  return value;
}

/** Tests and revocation: forget cached tokens. */
export function forgetApiTokens() {
  cache.clear();
}
