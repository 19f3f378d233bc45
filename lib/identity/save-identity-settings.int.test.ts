// Identity settings saved through the Identity page's code path: validated, stored per workspace,
// and used by the pipeline for the next events.
import { describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/pool";
import { db } from "@/lib/db/prisma";
import { isAppError } from "@/lib/errors";
import { createTestSource, trackingServerForTests } from "@/lib/ingest/test-tracking-server";
import { drainPipeline } from "@/lib/pipeline/process-pipeline-batch";
import { getIdentitySettings } from "@/lib/identity/get-identity-settings";
import { listIdentityConflicts } from "@/lib/identity/identity-conflicts";
import { DEFAULT_IDENTITY_SETTINGS, type IdentitySettings } from "@/lib/identity/identity-settings";
import { getIdentitySettingsRecord, resetIdentitySettings, saveIdentitySettings } from "@/lib/identity/save-identity-settings";

const server = trackingServerForTests();

const send = (writeKey: string, batch: Record<string, unknown>[]) => server.send(writeKey, batch);

const drain = () => drainPipeline();

const q = async <T = Record<string, unknown>>(sql: string, args: unknown[] = []) => (await getPool().query(sql, args)).rows as T[];

/** The identifiers of the profile owning one, as "type:value". */
async function identifiersWith(workspaceId: string, type: string, value: string): Promise<string[]> {
  return (
    await q<{ t: string }>(
      `SELECT i.type || ':' || i.value AS t FROM identities i
       WHERE i.workspace_id = $1 AND i.profile_id = (SELECT profile_id FROM identities WHERE workspace_id = $1 AND type = $2 AND value = $3)
       ORDER BY 1`,
      [workspaceId, type, value],
    )
  ).map((r) => r.t);
}

async function refusal(work: Promise<unknown>): Promise<{ code: string; message: string; fieldErrors: Record<string, string[]> }> {
  try {
    await work;
  } catch (err) {
    if (isAppError(err)) return { code: err.code, message: err.message, fieldErrors: err.fieldErrors ?? {} };
    throw err;
  }
  throw new Error("expected a refusal");
}

async function testUser() {
  const id = Math.random().toString(36).slice(2, 10);
  return db().user.create({ data: { email: `identity-${id}@example.com`, name: `Ida ${id}`, passwordHash: "x" } });
}

const at = (minute: number) => new Date(Date.UTC(2026, 10, 2, 9, minute)).toISOString();

describe("saveIdentitySettings", () => {
  it("stores valid settings for the workspace and returns them with who saved them", async () => {
    const s = await createTestSource();
    const user = await testUser();
    expect(await getIdentitySettingsRecord(s.workspaceId)).toMatchObject({ isDefault: true, updatedAt: null, settings: DEFAULT_IDENTITY_SETTINGS });

    const settings: IdentitySettings = {
      ...DEFAULT_IDENTITY_SETTINGS,
      priority: ["email", "user_id", "loyalty_id", "phone", "device_id", "advertising_id", "anonymous_id"],
      limits: { ...DEFAULT_IDENTITY_SETTINGS.limits, user_id: 2, loyalty_id: 1 },
      blockedValues: [...DEFAULT_IDENTITY_SETTINGS.blockedValues, "noreply@example.com"],
      blockedPatterns: [...DEFAULT_IDENTITY_SETTINGS.blockedPatterns, "^test[-_]"],
      phoneRegion: "CH",
      traitIdentifiers: { loyalty_card: "loyalty_id" },
      traitRules: { plan: "source_priority" },
      sourcePriority: [s.sourceId],
    };
    const saved = await saveIdentitySettings({ workspaceId: s.workspaceId, userId: user.id, settings, expectedUpdatedAt: null });
    expect(saved).toMatchObject({ isDefault: false, updatedByName: user.name, settings });
    expect(saved.updatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(await getIdentitySettings(getPool(), s.workspaceId)).toEqual(settings);
    const [row] = await q(`SELECT updated_by_id FROM identity_settings WHERE workspace_id = $1`, [s.workspaceId]);
    expect(row.updated_by_id).toBe(user.id);

    // Saving again on top of what was loaded works; on top of an older version is refused.
    const again = await saveIdentitySettings({ workspaceId: s.workspaceId, userId: user.id, settings: { ...settings, phoneRegion: "DE" }, expectedUpdatedAt: saved.updatedAt });
    expect(again.settings.phoneRegion).toBe("DE");
    const stale = await refusal(saveIdentitySettings({ workspaceId: s.workspaceId, userId: user.id, settings, expectedUpdatedAt: null }));
    expect(stale.code).toBe("conflict");
    expect((await getIdentitySettings(getPool(), s.workspaceId)).phoneRegion).toBe("DE");
  });

  it("refuses bad settings with a message per field and stores nothing", async () => {
    const s = await createTestSource();
    const bad = {
      ...DEFAULT_IDENTITY_SETTINGS,
      priority: ["user_id", "email", "user_id"],
      limits: { email: 0, crm_id: 2 },
      blockedPatterns: ["[a-"],
      phoneRegion: "Switzerland",
    };
    const schema = await refusal(saveIdentitySettings({ workspaceId: s.workspaceId, userId: null, settings: bad }));
    expect(schema.code).toBe("invalid_input");
    expect(schema.fieldErrors).toEqual({
      "limits.email": ["The limit for email must be at least 1."],
      "blockedPatterns.0": ["Pattern “[a-” is not a valid regular expression."],
      phoneRegion: ["The default phone region must be a two-letter country code such as US or CH."],
    });
    // Once the schema passes, the cross-field checks speak.
    const cross = await refusal(saveIdentitySettings({ workspaceId: s.workspaceId, userId: null, settings: { ...bad, limits: { crm_id: 2 }, blockedPatterns: [], phoneRegion: "CH" } }));
    expect(cross.fieldErrors).toEqual({
      "priority.2": ["Identifier type “user_id” is listed twice."],
      "limits.crm_id": ["There is no identifier type “crm_id”: add it to the priority list before giving it a limit."],
    });
    expect(cross.message).toBe("2 settings need attention: Identifier type “user_id” is listed twice.");
    expect(await refusal(saveIdentitySettings({ workspaceId: s.workspaceId, userId: null, settings: "nope" }))).toMatchObject({ code: "invalid_input" });
    expect(await q(`SELECT 1 FROM identity_settings WHERE workspace_id = $1`, [s.workspaceId])).toEqual([]);
  });

  it("keeps workspaces apart: own row, own sources, reset of one only", async () => {
    const a = await createTestSource();
    const b = await createTestSource();
    await saveIdentitySettings({ workspaceId: a.workspaceId, userId: null, settings: { ...DEFAULT_IDENTITY_SETTINGS, phoneRegion: "GB" } });
    await saveIdentitySettings({ workspaceId: b.workspaceId, userId: null, settings: { ...DEFAULT_IDENTITY_SETTINGS, phoneRegion: "FR", sourcePriority: [b.sourceId] } });
    expect((await getIdentitySettings(getPool(), a.workspaceId)).phoneRegion).toBe("GB");
    expect((await getIdentitySettings(getPool(), b.workspaceId)).phoneRegion).toBe("FR");

    // Another workspace's source cannot be ranked.
    const foreign = await refusal(saveIdentitySettings({ workspaceId: a.workspaceId, userId: null, settings: { ...DEFAULT_IDENTITY_SETTINGS, sourcePriority: [a.sourceId, b.sourceId] } }));
    expect(foreign.fieldErrors).toEqual({ "sourcePriority.1": [`Source “${b.sourceId}” is not a source of this workspace.`] });

    expect(await resetIdentitySettings({ workspaceId: a.workspaceId })).toMatchObject({ isDefault: true, settings: DEFAULT_IDENTITY_SETTINGS });
    expect(await getIdentitySettings(getPool(), a.workspaceId)).toEqual(DEFAULT_IDENTITY_SETTINGS);
    expect(await getIdentitySettings(getPool(), b.workspaceId)).toMatchObject({ phoneRegion: "FR", sourcePriority: [b.sourceId] });
  });
});

describe("the pipeline with saved settings", () => {
  it("lets a profile hold two user ids once the limit is 2", async () => {
    const events = (prefix: string) => [
      { type: "identify", messageId: `${prefix}1`, anonymousId: `${prefix}-anon`, userId: `${prefix}-u1`, timestamp: at(1) },
      { type: "identify", messageId: `${prefix}2`, anonymousId: `${prefix}-anon`, userId: `${prefix}-u2`, timestamp: at(2) },
    ];
    const before = await createTestSource();
    await send(before.writeKey, events("d"));
    await drain();
    expect(await identifiersWith(before.workspaceId, "user_id", "d-u1")).toEqual(["anonymous_id:d-anon", "user_id:d-u1"]);

    const after = await createTestSource();
    await saveIdentitySettings({ workspaceId: after.workspaceId, userId: null, settings: { ...DEFAULT_IDENTITY_SETTINGS, limits: { ...DEFAULT_IDENTITY_SETTINGS.limits, user_id: 2 } } });
    await send(after.writeKey, events("l"));
    await drain();
    expect(await identifiersWith(after.workspaceId, "user_id", "l-u1")).toEqual(["anonymous_id:l-anon", "user_id:l-u1", "user_id:l-u2"]);
  });

  it("resolves a trait mapped to an identifier type, and blocks saved values", async () => {
    const s = await createTestSource();
    await saveIdentitySettings({
      workspaceId: s.workspaceId,
      userId: null,
      settings: { ...DEFAULT_IDENTITY_SETTINGS, traitIdentifiers: { loyalty_card: "loyalty_id" }, blockedValues: [...DEFAULT_IDENTITY_SETTINGS.blockedValues, "shared@example.com"] },
    });
    await send(s.writeKey, [
      { type: "identify", messageId: "t1", anonymousId: "web-1", traits: { loyalty_card: "LC-42", email: "shared@example.com" }, timestamp: at(1) },
      { type: "identify", messageId: "t2", anonymousId: "app-1", traits: { loyalty_card: " LC-42 ", email: "shared@example.com" }, timestamp: at(2) },
    ]);
    await drain();
    expect(await identifiersWith(s.workspaceId, "loyalty_id", "LC-42")).toEqual(["anonymous_id:app-1", "anonymous_id:web-1", "loyalty_id:LC-42"]);
    expect(await q(`SELECT 1 FROM identities WHERE workspace_id = $1 AND type = 'email'`, [s.workspaceId])).toEqual([]);
  });
});

describe("listIdentityConflicts", () => {
  it("lists the workspace's latest conflicts a page at a time, with source names, masking contact details", async () => {
    const s = await createTestSource();
    const other = await createTestSource();
    await saveIdentitySettings({ workspaceId: s.workspaceId, userId: null, settings: { ...DEFAULT_IDENTITY_SETTINGS, limits: { ...DEFAULT_IDENTITY_SETTINGS.limits, email: 1 } } });
    await send(s.writeKey, [
      { type: "identify", messageId: "c1", userId: "u-1", traits: { email: "ann@example.com" }, timestamp: at(1) },
      { type: "identify", messageId: "c2", userId: "u-1", traits: { email: "bob@example.com" }, timestamp: at(2) },
      { type: "identify", messageId: "c3", userId: "u-1", traits: { email: "cy@example.com" }, timestamp: at(3) },
    ]);
    await send(other.writeKey, [
      { type: "identify", messageId: "o1", userId: "u-1", anonymousId: "x" },
      { type: "identify", messageId: "o2", userId: "u-2", anonymousId: "x" },
    ]);
    await drain();

    const [profile] = await q<{ profile_id: string }>(`SELECT profile_id FROM identities WHERE workspace_id = $1 AND type = 'user_id'`, [s.workspaceId]);
    const first = await listIdentityConflicts({ workspaceId: s.workspaceId, canSeePii: false, limit: 1 });
    expect(first.conflicts).toEqual([
      {
        id: expect.any(String),
        createdAt: expect.any(String),
        profileId: profile.profile_id,
        messageId: "c3",
        source: { id: s.sourceId, name: "Test source" },
        identifierType: "email",
        identifierValue: "c•••@example.com",
        reason: "type_limit",
        reasonLabel: "Limit per type reached",
        detail: "the profile already has 1 email identifier(s); the limit is 1",
      },
    ]);
    expect(first.nextCursor).not.toBeNull();
    const second = await listIdentityConflicts({ workspaceId: s.workspaceId, canSeePii: true, limit: 1, before: first.nextCursor });
    expect(second.conflicts.map((c) => [c.messageId, c.identifierValue])).toEqual([["c2", "bob@example.com"]]);
    expect(second.nextCursor).toBeNull();
    // A cursor that is not one starts from the newest; the other workspace's conflict never shows.
    expect((await listIdentityConflicts({ workspaceId: s.workspaceId, canSeePii: true, before: "garbage" })).conflicts.map((c) => c.messageId)).toEqual(["c3", "c2"]);
    expect((await listIdentityConflicts({ workspaceId: other.workspaceId, canSeePii: true })).conflicts.map((c) => c.messageId)).toEqual(["o2"]);
  });
});
