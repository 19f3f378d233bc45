import { describe, expect, it } from "vitest";
import { isAppError } from "@/lib/errors";
import { DEFAULT_IDENTITY_SETTINGS, type IdentitySettings } from "@/lib/identity/identity-settings";
import { identitySettingsProblems, validateIdentitySettings } from "@/lib/identity/save-identity-settings";

const SOURCE = "3f1c2a4e-8b7d-4c6e-9a1b-2c3d4e5f6a7b";
const OTHER_SOURCE = "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b";

function fieldErrorsOf(input: unknown, sources: string[] = [SOURCE]): Record<string, string[]> {
  try {
    validateIdentitySettings(input, new Set(sources));
  } catch (err) {
    if (isAppError(err) && err.code === "invalid_input") return err.fieldErrors ?? {};
    throw err;
  }
  throw new Error("expected the settings to be refused");
}

const withDefaults = (changes: Partial<Record<keyof IdentitySettings, unknown>>) => ({ ...DEFAULT_IDENTITY_SETTINGS, ...changes });

describe("validateIdentitySettings", () => {
  it("accepts the defaults and a full custom set, tidying repeated blocked values", () => {
    expect(validateIdentitySettings(DEFAULT_IDENTITY_SETTINGS, new Set())).toEqual(DEFAULT_IDENTITY_SETTINGS);
    const custom = withDefaults({
      priority: ["email", "user_id", "loyalty_id", "phone"],
      limits: { user_id: 2, loyalty_id: 1 },
      sharedTypes: ["device_id"],
      blockedValues: ["x@y.io", "X@Y.io", "none"],
      blockedPatterns: ["^test", "^test"],
      phoneRegion: "CH",
      traitIdentifiers: { loyalty_card: "loyalty_id" },
      traitRules: { plan: "source_priority" },
      sourcePriority: [SOURCE],
    });
    expect(validateIdentitySettings(custom, new Set([SOURCE]))).toMatchObject({ blockedValues: ["x@y.io", "none"], blockedPatterns: ["^test"], limits: { user_id: 2, loyalty_id: 1 } });
  });

  it("words schema problems per field, naming the offending entry", () => {
    expect(
      fieldErrorsOf(
        withDefaults({
          priority: ["user_id", "Loyalty ID"],
          limits: { email: 0, phone: 1.5, device_id: "many" },
          blockedPatterns: ["^ok$", "[a-"],
          maxMergesPerProfile: null,
          maxIdentifiersPerProfile: 200_000,
          phoneRegion: "us",
          traitIdentifiers: { crm: "CRM" },
          traitRules: { plan: "newest" },
          sourcePriority: ["not-a-uuid"],
        }),
      ),
    ).toEqual({
      "priority.1": ["Identifier type “Loyalty ID” must be lower-case letters, digits and _, starting with a letter (e.g. loyalty_id)."],
      "limits.email": ["The limit for email must be at least 1."],
      "limits.phone": ["The limit for phone must be a whole number."],
      "limits.device_id": ["The limit for device_id must be a whole number."],
      "blockedPatterns.1": ["Pattern “[a-” is not a valid regular expression."],
      maxMergesPerProfile: ["The merge cap must be a whole number."],
      maxIdentifiersPerProfile: ["The identifier cap must be at most 100,000."],
      phoneRegion: ["The default phone region must be a two-letter country code such as US or CH."],
      "traitIdentifiers.crm": ["The identifier type for trait “crm” must be lower-case letters, digits and _, starting with a letter (e.g. loyalty_id)."],
      "traitRules.plan": ["The rule for trait “plan” must be one of: most recent, first, source priority, most frequent."],
      "sourcePriority.0": ["Source “not-a-uuid” is not a source id."],
    });
  });

  it("words invalid record keys", () => {
    expect(fieldErrorsOf(withDefaults({ limits: { "Bad Key": 2 }, traitIdentifiers: { "": "x_id" } }))).toEqual({
      "limits.Bad Key": ["Identifier type “Bad Key” must be lower-case letters, digits and _, starting with a letter (e.g. loyalty_id)."],
      "traitIdentifiers.": ["A trait key must not be empty."],
    });
  });

  it("refuses a type listed twice, limits of unknown types, group_id and foreign or repeated sources", () => {
    expect(
      fieldErrorsOf(
        withDefaults({
          priority: ["user_id", "email", "user_id", "group_id"],
          sharedTypes: ["device_id", "device_id"],
          limits: { email: 2, crm_id: 1 },
          traitIdentifiers: { account: "group_id" },
          traitRules: { " plan": "first" },
          sourcePriority: [SOURCE, OTHER_SOURCE, SOURCE],
        }),
      ),
    ).toEqual({
      "priority.2": ["Identifier type “user_id” is listed twice."],
      "priority.3": ["Identifier type “group_id” identifies accounts (from group calls), not people."],
      "sharedTypes.1": ["Shared type “device_id” is listed twice."],
      "limits.crm_id": ["There is no identifier type “crm_id”: add it to the priority list before giving it a limit."],
      "traitIdentifiers.account": ["The identifier type for trait “account” cannot be group_id: it identifies accounts (from group calls), not people."],
      "traitRules. plan": ["Trait key “ plan” must not start or end with a space."],
      "sourcePriority.1": [`Source “${OTHER_SOURCE}” is not a source of this workspace.`],
      "sourcePriority.2": [`Source “${SOURCE}” is listed twice.`],
    });
  });

  it("allows limits for built-in types missing from the priority list", () => {
    expect(identitySettingsProblems({ ...DEFAULT_IDENTITY_SETTINGS, priority: ["email"], limits: { phone: 3 } }, new Set())).toEqual({});
  });

  it("summarises the problems in the error message", () => {
    try {
      validateIdentitySettings(withDefaults({ maxMergesPerProfile: -1 }), new Set());
      throw new Error("not refused");
    } catch (err) {
      expect(isAppError(err) && err.message).toBe("The merge cap must be at least 0.");
    }
  });
});
