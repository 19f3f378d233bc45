import type pg from "pg";
import { ACCOUNT_IDENTIFIER_TYPE, type IdentitySettings } from "@/lib/identity/identity-settings";
import { normalizeIdentifier } from "@/lib/identity/normalize-identifier";

export type ProfileLookup = { ok: true; profileId: string | null } | { ok: false; message: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The live profile an identifier (`type:value`, normalised like ingestion) or `profile_id:<id>`
 * points at; profiles merged away lead to their survivor. null: no such profile.
 */
export async function findProfile(pool: pg.Pool, ws: string, collection: "users" | "accounts", identifier: string, settings: IdentitySettings): Promise<ProfileLookup> {
  const colon = identifier.indexOf(":");
  if (colon <= 0) return { ok: false, message: `"${identifier.slice(0, 100)}" is not an identifier: use type:value, e.g. email:ann%40example.com or user_id:42` };
  const type = identifier.slice(0, colon).trim().toLowerCase();
  const raw = identifier.slice(colon + 1);
  let profileId: string | null = null;
  if (type === "profile_id") {
    if (!UUID.test(raw.trim())) return { ok: false, message: "profile_id must be a Tessera profile id (a UUID)" };
    profileId = raw.trim().toLowerCase();
  } else {
    if (collection === "accounts" && type !== ACCOUNT_IDENTIFIER_TYPE) return { ok: false, message: "accounts are addressed by group_id:<id>" };
    if (!/^[a-z][a-z0-9_]{0,39}$/.test(type)) return { ok: false, message: `"${type.slice(0, 50)}" is not an identifier type` };
    const normalized = normalizeIdentifier(type, raw, settings);
    if (!normalized.ok) return { ok: false, message: `${type} ${normalized.reason}` };
    const { rows } = await pool.query<{ profile_id: string }>(`SELECT profile_id FROM identities WHERE workspace_id = $1 AND type = $2 AND value = $3`, [ws, type, normalized.value]);
    profileId = rows[0]?.profile_id ?? null;
  }
  if (profileId === null) return { ok: true, profileId: null };
  const { rows } = await pool.query<{ id: string }>(
    `WITH RECURSIVE chain AS (
       SELECT id, merged_into_id, kind, 0 AS depth FROM profiles WHERE workspace_id = $1 AND id = $2
       UNION ALL SELECT p.id, p.merged_into_id, p.kind, c.depth + 1 FROM profiles p JOIN chain c ON p.workspace_id = $1 AND p.id = c.merged_into_id WHERE c.depth < 20)
     SELECT id FROM chain WHERE merged_into_id IS NULL AND kind = $3::"ProfileKind"`,
    [ws, profileId, collection === "users" ? "user" : "account"],
  );
  return { ok: true, profileId: rows[0]?.id ?? null };
}
