// The Identity page's form state: IdentitySettings as the inputs hold them (numbers as typed,
// trait maps as ordered rows) and back. Pure, shared by the form and its tests.
import { BUILT_IN_IDENTIFIER_TYPES, SURVIVORSHIP_RULES, type IdentitySettings, type SurvivorshipRule, IDENTIFIER_LABELS } from "@/lib/identity/identity-settings";

export interface TraitIdentifierRow {
  id: number;
  key: string;
  type: string;
}

export interface TraitRuleRow {
  id: number;
  key: string;
  rule: SurvivorshipRule;
}

export interface IdentityDraft {
  priority: string[];
  sharedTypes: string[];
  /** Per type, as typed; "" means no limit. */
  limits: Record<string, string>;
  maxMergesPerProfile: string;
  maxIdentifiersPerProfile: string;
  blockedValues: string[];
  blockedPatterns: string[];
  phoneRegion: string;
  traitIdentifiers: TraitIdentifierRow[];
  traitRules: TraitRuleRow[];
  sourcePriority: string[];
}

export type FieldErrors = Record<string, string[]>;

export { IDENTIFIER_LABELS };

export const isBuiltInType = (type: string) => (BUILT_IN_IDENTIFIER_TYPES as readonly string[]).includes(type);

export const RULE_LABELS: Record<SurvivorshipRule, { label: string; description: string }> = {
  most_recent: { label: "Most recent value", description: "The value received last wins." },
  first: { label: "First value", description: "The value received first is kept." },
  source_priority: { label: "Most trusted source", description: "The value from the source highest in the source order wins." },
  most_frequent: { label: "Most frequent value", description: "The value received most often wins." },
};
export const RULES = SURVIVORSHIP_RULES;

/** Default regions offered in the phone section (ISO 3166-1 alpha-2). */
export const COMMON_REGIONS: { code: string; name: string }[] = [
  { code: "US", name: "United States" },
  { code: "CA", name: "Canada" },
  { code: "GB", name: "United Kingdom" },
  { code: "IE", name: "Ireland" },
  { code: "DE", name: "Germany" },
  { code: "AT", name: "Austria" },
  { code: "CH", name: "Switzerland" },
  { code: "FR", name: "France" },
  { code: "BE", name: "Belgium" },
  { code: "NL", name: "Netherlands" },
  { code: "LU", name: "Luxembourg" },
  { code: "ES", name: "Spain" },
  { code: "PT", name: "Portugal" },
  { code: "IT", name: "Italy" },
  { code: "SE", name: "Sweden" },
  { code: "NO", name: "Norway" },
  { code: "DK", name: "Denmark" },
  { code: "FI", name: "Finland" },
  { code: "PL", name: "Poland" },
  { code: "AU", name: "Australia" },
  { code: "NZ", name: "New Zealand" },
  { code: "IN", name: "India" },
  { code: "SG", name: "Singapore" },
  { code: "JP", name: "Japan" },
  { code: "BR", name: "Brazil" },
  { code: "MX", name: "Mexico" },
  { code: "ZA", name: "South Africa" },
  { code: "AE", name: "United Arab Emirates" },
].sort((a, b) => a.name.localeCompare(b.name, "en"));

/** What the defaults' patterns catch, in words. */
export const PATTERN_EXPLANATIONS: Record<string, string> = {
  "^[0-]+$": "only zeros and dashes, like 00000000-0000-0000-0000-000000000000",
  "^(\\d)\\1{7,}$": "eight or more of the same digit, like 11111111",
};

let nextRowId = 1;
export const newRowId = () => nextRowId++;

export function draftFromSettings(settings: IdentitySettings, sourceIds?: ReadonlySet<string>): IdentityDraft {
  return {
    priority: [...settings.priority],
    sharedTypes: [...settings.sharedTypes],
    limits: Object.fromEntries(Object.entries(settings.limits).map(([type, n]) => [type, String(n)])),
    maxMergesPerProfile: String(settings.maxMergesPerProfile),
    maxIdentifiersPerProfile: String(settings.maxIdentifiersPerProfile),
    blockedValues: [...settings.blockedValues],
    blockedPatterns: [...settings.blockedPatterns],
    phoneRegion: settings.phoneRegion,
    traitIdentifiers: Object.entries(settings.traitIdentifiers).map(([key, type]) => ({ id: newRowId(), key, type })),
    traitRules: Object.entries(settings.traitRules).map(([key, rule]) => ({ id: newRowId(), key, rule })),
    // Sources deleted since the last save drop out (they could not be saved again).
    sourcePriority: sourceIds ? settings.sourcePriority.filter((id) => sourceIds.has(id)) : [...settings.sourcePriority],
  };
}

/** A number as typed: "" → undefined, digits → number, anything else stays text for the server to word. */
function numberOf(text: string): number | string | undefined {
  const t = text.trim();
  if (t === "") return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
}

/**
 * The draft as settings to send, plus the problems only the form can see (blank or repeated trait
 * keys, keyed "traitIdentifiers@<row index>"). Types no longer in the priority list lose their
 * limits; types it lists keep theirs.
 */
export function settingsFromDraft(draft: IdentityDraft): { settings: Record<string, unknown>; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const add = (key: string, message: string) => (errors[key] ??= []).push(message);

  const limits: Record<string, unknown> = {};
  const keepLimit = new Set([...BUILT_IN_IDENTIFIER_TYPES, ...draft.priority]);
  for (const [type, text] of Object.entries(draft.limits)) {
    const n = numberOf(text);
    if (n !== undefined && keepLimit.has(type)) limits[type] = n;
  }

  const rows = <R extends { key: string }>(field: string, list: R[], value: (r: R) => string, blankValue: (r: R) => boolean) => {
    const out: Record<string, string> = {};
    list.forEach((r, i) => {
      const key = r.key.trim();
      if (key === "" && blankValue(r)) return; // an empty row is ignored
      if (key === "") return add(`${field}@${i}`, "Enter the trait key.");
      if (Object.hasOwn(out, key)) return add(`${field}@${i}`, `Trait ${quote(key)} is already listed above.`);
      out[key] = value(r);
    });
    return out;
  };
  const traitIdentifiers = rows("traitIdentifiers", draft.traitIdentifiers, (r) => r.type.trim(), (r) => r.type.trim() === "");
  const traitRules = rows("traitRules", draft.traitRules, (r) => r.rule, () => true);

  return {
    settings: {
      priority: draft.priority,
      sharedTypes: draft.sharedTypes,
      limits,
      blockedValues: draft.blockedValues,
      blockedPatterns: draft.blockedPatterns,
      maxMergesPerProfile: numberOf(draft.maxMergesPerProfile) ?? null,
      maxIdentifiersPerProfile: numberOf(draft.maxIdentifiersPerProfile) ?? null,
      phoneRegion: draft.phoneRegion.trim().toUpperCase(),
      traitIdentifiers,
      traitRules,
      sourcePriority: draft.sourcePriority,
    },
    errors,
  };
}

/** Messages of one field ("phoneRegion") or of everything under it ("limits" → "limits.email"…). */
export function errorsUnder(errors: FieldErrors | undefined, prefix: string): string[] {
  if (!errors) return [];
  return Object.entries(errors)
    .filter(([k]) => k === prefix || k.startsWith(`${prefix}.`) || k.startsWith(`${prefix}@`))
    .flatMap(([, m]) => m);
}

export function quote(value: string): string {
  return `“${value.length > 60 ? `${value.slice(0, 57)}…` : value}”`;
}

export const identifierLabel = (type: string) => IDENTIFIER_LABELS[type] ?? type;
