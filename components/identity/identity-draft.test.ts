import { describe, expect, it } from "vitest";
import { DEFAULT_IDENTITY_SETTINGS, identitySettingsSchema } from "@/lib/identity/identity-settings";
import { draftFromSettings, errorsUnder, settingsFromDraft } from "@/components/identity/identity-draft";

describe("identity draft", () => {
  it("round-trips settings through the form state", () => {
    const settings = {
      ...DEFAULT_IDENTITY_SETTINGS,
      priority: [...DEFAULT_IDENTITY_SETTINGS.priority, "loyalty_id"],
      limits: { ...DEFAULT_IDENTITY_SETTINGS.limits, loyalty_id: 1 },
      traitIdentifiers: { loyalty_card: "loyalty_id" },
      traitRules: { plan: "first" as const },
    };
    const { settings: back, errors } = settingsFromDraft(draftFromSettings(settings));
    expect(errors).toEqual({});
    expect(identitySettingsSchema.parse(back)).toEqual(settings);
  });

  it("turns typed numbers into numbers, blanks into no limit, and drops limits of removed custom types", () => {
    const draft = draftFromSettings({ ...DEFAULT_IDENTITY_SETTINGS, priority: ["user_id", "email"] });
    draft.limits = { email: " 3 ", phone: "", user_id: "abc", gone_id: "2" };
    draft.maxMergesPerProfile = "";
    draft.phoneRegion = "ch ";
    const { settings } = settingsFromDraft(draft);
    expect(settings).toMatchObject({ limits: { email: 3, user_id: "abc" }, maxMergesPerProfile: null, phoneRegion: "CH" });
  });

  it("ignores empty trait rows and reports blank or repeated keys by row", () => {
    const draft = draftFromSettings(DEFAULT_IDENTITY_SETTINGS);
    draft.traitIdentifiers = [
      { id: 1, key: " loyalty_card ", type: "loyalty_id" },
      { id: 2, key: "", type: "" },
      { id: 3, key: "", type: "crm_id" },
      { id: 4, key: "loyalty_card", type: "other_id" },
    ];
    draft.traitRules = [{ id: 5, key: "", rule: "first" }];
    const { settings, errors } = settingsFromDraft(draft);
    expect(settings.traitIdentifiers).toEqual({ loyalty_card: "loyalty_id" });
    expect(settings.traitRules).toEqual({});
    expect(errors).toEqual({ "traitIdentifiers@2": ["Enter the trait key."], "traitIdentifiers@3": ["Trait “loyalty_card” is already listed above."] });
    expect(errorsUnder(errors, "traitIdentifiers")).toHaveLength(2);
    expect(errorsUnder({ "limits.email": ["a"], limitsX: ["b"] }, "limits")).toEqual(["a"]);
  });

  it("drops sources deleted since the last save", () => {
    const a = "3f1c2a4e-8b7d-4c6e-9a1b-2c3d4e5f6a7b";
    const b = "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b";
    expect(draftFromSettings({ ...DEFAULT_IDENTITY_SETTINGS, sourcePriority: [a, b] }, new Set([b])).sourcePriority).toEqual([b]);
  });
});
