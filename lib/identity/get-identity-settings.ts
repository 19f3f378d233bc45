import type pg from "pg";
import { DEFAULT_IDENTITY_SETTINGS, identitySettingsSchema, type IdentitySettings } from "@/lib/identity/identity-settings";

/** The workspace's identity rules: its saved settings over the defaults. */
export async function getIdentitySettings(client: pg.Pool | pg.PoolClient, workspaceId: string): Promise<IdentitySettings> {
  const { rows } = await client.query<{ settings: unknown }>(`SELECT settings FROM identity_settings WHERE workspace_id = $1`, [workspaceId]);
  if (rows.length === 0) return DEFAULT_IDENTITY_SETTINGS;
  const parsed = identitySettingsSchema.partial().safeParse(rows[0].settings);
  // Saved settings are validated on write; a row that no longer parses falls back field by field.
  return { ...DEFAULT_IDENTITY_SETTINGS, ...(parsed.success ? parsed.data : {}) };
}
