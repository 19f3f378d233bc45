// How segment rules read values: text, numbers (numeric strings included), ISO dates (strict: an
// impossible date is not a date). The evaluator and the SQL compiler share these patterns, so a
// value means the same thing in memory and in PostgreSQL.
export const DAY_MS = 86_400_000;

/** Numeric strings count as numbers; the SQL compiler uses the same pattern. */
// Bounded (30 digits, 2-digit exponent) so every such string fits a double in both places.
export const NUMERIC_PATTERN = "^ *-?([0-9]{1,30}\\.?[0-9]{0,30}|\\.[0-9]{1,30})([eE][-+]?[0-9]{1,2})? *$";
const NUMERIC = new RegExp(NUMERIC_PATTERN);
/** The date forms segments understand; the SQL compiler uses the same pattern (ISO_DATE_PATTERN). */
export const ISO_DATE_PATTERN = "^([1-9][0-9]{3})-([0-9]{2})-([0-9]{2})(T([01][0-9]|2[0-3]):([0-5][0-9])(:([0-5][0-9])(\\.[0-9]{1,3})?)?(Z|[+-](0[0-9]|1[0-4]):[0-5][0-9])?)?$";
const ISO_DATE = new RegExp(ISO_DATE_PATTERN);
export const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

export const present = (v: unknown) => v !== undefined && v !== null;
export const asText = (v: unknown): string | null => (typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : null);
export const asNumber = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : typeof v === "string" && NUMERIC.test(v) ? Number(v) : null);
/** Milliseconds of an ISO date or date-time; null for anything else, impossible dates included. */
export function asTime(v: unknown): number | null {
  if (typeof v !== "string") return null;
  const m = ISO_DATE.exec(v);
  if (!m) return null;
  const [year, month, day] = [m[1], m[2], m[3]].map(Number);
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return null;
  // Without an offset, a date-time is UTC (Date.parse would take the server's local time).
  return Date.parse(m[4] && !m[10] ? `${v}Z` : v);
}
/** An upper date bound: a date-only value includes its whole day. */
export const upperTime = (v: unknown): number | null => {
  const t = asTime(v);
  return t !== null && typeof v === "string" && DATE_ONLY.test(v) ? t + DAY_MS - 1 : t;
};

