// Turns one received identifier value into its canonical form (e-mail lower-cased, phone in E.164,
// everything else trimmed) and refuses values that identify nobody, such as "null" or all zeros.
import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js";
import type { IdentitySettings } from "@/lib/identity/identity-settings";

export type NormalizeResult = { ok: true; value: string } | { ok: false; reason: string };

export type NormalizeSettings = Pick<IdentitySettings, "phoneRegion" | "blockedValues" | "blockedPatterns">;

export const MAX_IDENTIFIER_LENGTH = 512;

// local@domain.tld: no spaces, one @, a dot in the domain, a TLD of at least two letters.
const EMAIL = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)*\.\p{L}{2,}$/u;

export function normalizeIdentifier(type: string, raw: unknown, settings: NormalizeSettings): NormalizeResult {
  let text: string;
  if (typeof raw === "string") text = raw;
  else if (typeof raw === "number" && Number.isFinite(raw)) text = String(raw);
  else return { ok: false, reason: "must be a string or number" };

  text = text.trim();
  if (text === "") return { ok: false, reason: "is empty" };
  if (text.length > MAX_IDENTIFIER_LENGTH) return { ok: false, reason: `is longer than ${MAX_IDENTIFIER_LENGTH} characters` };

  let value = text;
  if (type === "email") {
    value = text.replace(/^mailto:/i, "").trim().toLowerCase();
    if (!EMAIL.test(value)) return { ok: false, reason: "is not an email address" };
  } else if (type === "phone") {
    const phone = parsePhone(text, settings.phoneRegion);
    if (phone === null) return { ok: false, reason: "is not a valid phone number" };
    value = phone;
  }

  if (isBlocked(value, settings)) return { ok: false, reason: "is a blocked value" };
  return { ok: true, value };
}

function parsePhone(text: string, region: string): string | null {
  try {
    const phone = parsePhoneNumberFromString(text, region as CountryCode);
    return phone?.isValid() ? phone.number : null;
  } catch {
    return null; // an unknown region must not break ingestion; the number just doesn't parse
  }
}

interface CompiledBlocklist {
  values: Set<string>;
  patterns: RegExp[];
}

// Runs once per identifier of every event, so the lists are prepared once per settings object.
const blocklists = new WeakMap<NormalizeSettings, CompiledBlocklist>();

function compileBlocklist(settings: NormalizeSettings): CompiledBlocklist {
  let compiled = blocklists.get(settings);
  if (!compiled) {
    compiled = {
      values: new Set(settings.blockedValues.map((v) => v.toLowerCase())),
      patterns: settings.blockedPatterns.flatMap((source) => {
        try {
          return [new RegExp(source, "i")];
        } catch {
          return []; // settings are validated on save; a bad pattern must not stop ingestion
        }
      }),
    };
    blocklists.set(settings, compiled);
  }
  return compiled;
}

function isBlocked(value: string, settings: NormalizeSettings): boolean {
  const { values, patterns } = compileBlocklist(settings);
  return values.has(value.toLowerCase()) || patterns.some((p) => p.test(value));
}
