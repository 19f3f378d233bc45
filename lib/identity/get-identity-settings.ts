import type pg from "pg";
import { DEFAULT_IDENTITY_SETTINGS, identitySettingsSchema, type IdentitySettings } from "@/lib/identity/identity-settings";

/** The workspace's identity rules: its saved settings over the defaults. */
export async function getIdentitySettings(client: pg.Pool | pg.PoolClient, workspaceId: string): Promise<IdentitySettings> {
  const { rows } = await client.query<{ settings: unknown }>(`SELECT settings FROM identity_settings WHERE workspace_id = $1`, [workspaceId]);
  if (rows.length === 0) return DEFAULT_IDENTITY_SETTINGS;
  // Saved settings are validated on write; a field that no longer parses (an older format) falls
  // back to its default, the others still apply.
  const saved = (rows[0].settings ?? {}) as Record<string, unknown>;
  const settings: Record<string, unknown> = { ...DEFAULT_IDENTITY_SETTINGS };
  for (const [key, schema] of Object.entries(identitySettingsSchema.shape)) {
    if (saved[key] === undefined) continue;
    const parsed = schema.safeParse(saved[key]);
    if (parsed.success) settings[key] = parsed.data;
  }
  return settings as IdentitySettings;
}
