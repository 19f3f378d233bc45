// A computed trait's key (its name in the Profile API and for destinations), made from its name when
// it is created. Pure: the form shows the key as the name is typed.
export const COMPUTED_TRAIT_KEY_MAX = 64;

/** "Orders in the last 30 days" → "orders_in_the_last_30_days"; "" when nothing usable is left. */
export function keyFromName(name: string): string {
  const key = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, COMPUTED_TRAIT_KEY_MAX)
    .replace(/_+$/, "");
  return /^[0-9]/.test(key) ? `ct_${key}`.slice(0, COMPUTED_TRAIT_KEY_MAX) : key;
}
