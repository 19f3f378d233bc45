// Identity resolution rules of a workspace: which identifiers win, how many of each a profile may
// hold, which values never identify anybody, and how traits survive merges. Stored per workspace
// (identity_settings); a workspace without a row uses DEFAULT_IDENTITY_SETTINGS.
import { z } from "zod";

export const BUILT_IN_IDENTIFIER_TYPES = ["user_id", "email", "phone", "device_id", "advertising_id", "anonymous_id"] as const;
/** Identifier type of account profiles (from `group` calls); never part of a person's profile. */
export const ACCOUNT_IDENTIFIER_TYPE = "group_id";

export const SURVIVORSHIP_RULES = ["most_recent", "first", "source_priority", "most_frequent"] as const;
export type SurvivorshipRule = (typeof SURVIVORSHIP_RULES)[number];

const identifierType = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, "must be lower-case letters, digits and _, starting with a letter (e.g. loyalty_id)");

export const identitySettingsSchema = z.object({
  /** Identifier types, highest priority first. Types not listed rank after all listed ones. */
  priority: z.array(identifierType).max(50),
  /**
   * Identifier types several people may share in practice (a family's tablet): recorded on profiles
   * and used when an event has nothing else, but never enough on their own to join or merge profiles.
   */
  sharedTypes: z.array(identifierType).max(50),
  /** Most identifiers of a type one profile may hold (absent: no limit besides maxIdentifiersPerProfile). */
  limits: z.record(identifierType, z.number().int().min(1).max(1000)),
  /** Values that never identify anybody, compared case-insensitively after normalisation. */
  blockedValues: z.array(z.string().max(200)).max(500),
  /** Regular expressions (JavaScript syntax, case-insensitive) for blocked values. */
  blockedPatterns: z.array(z.string().max(200).refine(isValidRegex, "is not a valid regular expression")).max(100),
  maxMergesPerProfile: z.number().int().min(0).max(10_000),
  maxIdentifiersPerProfile: z.number().int().min(1).max(100_000),
  /** Region for phone numbers written without a country code (ISO 3166-1 alpha-2, e.g. CH). */
  phoneRegion: z.string().regex(/^[A-Z]{2}$/, "must be a two-letter country code such as US or CH"),
  /** Trait keys whose values are identifiers, e.g. { loyalty_id: "loyalty_id", crm_id: "crm_id" }. */
  traitIdentifiers: z.record(z.string().min(1).max(100), identifierType),
  /** Survivorship rule per trait key; traits not listed use most_recent. */
  traitRules: z.record(z.string().min(1).max(100), z.enum(SURVIVORSHIP_RULES)),
  /** Source ids, most trusted first, for the source_priority rule. */
  sourcePriority: z.array(z.uuid()).max(200),
});
export type IdentitySettings = z.infer<typeof identitySettingsSchema>;

function isValidRegex(source: string): boolean {
  try {
    new RegExp(source, "i");
    return true;
  } catch {
    return false;
  }
}

export const DEFAULT_BLOCKED_VALUES = ["", "null", "undefined", "none", "nil", "nan", "0", "-1", "anonymous", "unknown", "[object object]", "true", "false", "test", "n/a"];

export const DEFAULT_IDENTITY_SETTINGS: IdentitySettings = {
  priority: ["user_id", "email", "phone", "device_id", "advertising_id", "anonymous_id"],
  sharedTypes: ["device_id", "advertising_id"],
  limits: { user_id: 1, email: 5, phone: 5, device_id: 10, advertising_id: 10, anonymous_id: 100 },
  blockedValues: DEFAULT_BLOCKED_VALUES,
  // All-zero ids (00000000-0000-0000-0000-000000000000, 0000…) and long runs of one digit.
  blockedPatterns: ["^[0-]+$", "^(\\d)\\1{7,}$"],
  maxMergesPerProfile: 100,
  maxIdentifiersPerProfile: 1000,
  phoneRegion: "US",
  traitIdentifiers: {},
  traitRules: {},
  sourcePriority: [],
};

/** Rank of an identifier type: lower is stronger. Unlisted types rank after listed ones, by name. */
export function priorityRank(settings: Pick<IdentitySettings, "priority">, type: string): number {
  const i = settings.priority.indexOf(type);
  return i === -1 ? settings.priority.length : i;
}

/** Display names of the identifier types (custom types show as they are). */
export const IDENTIFIER_LABELS: Record<string, string> = {
  user_id: "User ID",
  email: "Email",
  phone: "Phone",
  device_id: "Device ID",
  advertising_id: "Advertising ID",
  anonymous_id: "Anonymous ID",
  group_id: "Group ID",
};
