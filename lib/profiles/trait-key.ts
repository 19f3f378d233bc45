// The key of a derived trait (a computed trait, or a segment's boolean audience trait): its name in
// the Profile API and for destinations, made from its display name when it is created.
export const TRAIT_KEY_MAX = 64;

/** "Orders in the last 30 days" → "orders_in_the_last_30_days"; a leading digit gets `prefix_`; "" when nothing usable is left. */
export function traitKeyFromName(name: string, prefix: string): string {
  const key = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, TRAIT_KEY_MAX)
    .replace(/_+$/, "");
  return /^[0-9]/.test(key) ? `${prefix}_${key}`.slice(0, TRAIT_KEY_MAX) : key;
}
