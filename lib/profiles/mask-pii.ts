// Contact details are personal data: roles without profiles.read_pii (marketers) see them masked.
// Masking keeps enough to tell values apart (first letter, domain, last two digits).

/** Identifier types and trait keys that hold contact details. */
export const PII_TYPES = new Set(["email", "phone"]);
const PII_TRAIT = /(^|_)(email|phone|mobile|address|street|zip|postal_code|birthday|date_of_birth)$/i;

export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at <= 0) return "•••";
  return `${email[0]}•••${email.slice(at)}`;
}

export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, "");
  return digits.length <= 2 ? "•••" : `•••${digits.slice(-2)}`;
}

export function maskValue(typeOrKey: string, value: string): string {
  const key = typeOrKey.toLowerCase();
  if (key.includes("email")) return maskEmail(value);
  if (key.includes("phone") || key.includes("mobile")) return maskPhone(value);
  return "•••";
}

export const isPiiTrait = (key: string) => PII_TRAIT.test(key);

/** A trait value as a role may see it. */
export function visibleTrait(key: string, value: unknown, canSeePii: boolean): unknown {
  if (canSeePii || !isPiiTrait(key) || value === null || value === undefined) return value;
  return typeof value === "string" ? maskValue(key, value) : "•••";
}

/** An identifier value as a role may see it. */
export function visibleIdentifier(type: string, value: string, canSeePii: boolean): string {
  return canSeePii || !PII_TYPES.has(type) ? value : maskValue(type, value);
}
