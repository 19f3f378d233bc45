// Trait candidates: every value a profile's trait has been seen with, with its lineage (when it was
// first and last seen, the source and message that last sent it) and how often. A profile's
// candidates are one JSON document (profile_trait_candidates), so a pipeline batch updates a
// profile's traits with one row write instead of one per trait value, and survivorship runs here,
// in memory, on the document it already holds.
import { SURVIVORSHIP_RULES, type IdentitySettings, type SurvivorshipRule } from "@/lib/identity/identity-settings";

/**
 * One value of one trait. Times are ISO strings (UTC, milliseconds): they compare as text. Stored
 * compactly — most values are seen once — so `n`, `f` and `fs` are left out while they equal their
 * defaults (1, `l`, `s`); read them with countOf, firstAt and firstSource.
 */
export interface TraitCandidate {
  /** The value. */
  v: unknown;
  /** How many observations carried it (default 1). */
  n?: number;
  /** First seen (default: l) and last seen. */
  f?: string;
  l: string;
  /** Source that first sent it (default: s); source and message that last sent it. */
  fs?: string | null;
  s: string | null;
  m: string | null;
}

export const countOf = (c: TraitCandidate) => c.n ?? 1;
export const firstAt = (c: TraitCandidate) => c.f ?? c.l;
export const firstSource = (c: TraitCandidate) => (c.fs === undefined ? c.s : c.fs);

export type TraitCandidates = Record<string, TraitCandidate[]>;

/** Kept per trait: the most recently seen values, plus each rule's survivor (so no rule loses its pick). */
export const MAX_CANDIDATES_PER_TRAIT = 20;

/** JSON text with object keys sorted: equal values give equal text whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`)
    .join(",")}}`;
}

const sameValue = (a: unknown, b: unknown) => a === b || (typeof a === "object" && typeof b === "object" && a !== null && b !== null && canonicalJson(a) === canonicalJson(b));

/** The candidate holding this value (the surviving value's lineage), if the list has it. */
export function candidateOf(list: TraitCandidate[] | undefined, value: unknown): TraitCandidate | null {
  return list?.find((c) => sameValue(c.v, value)) ?? null;
}

/** Folds a candidate (an observation is one seen once) into a trait's list, in place; the list takes `c` over. */
export function addCandidate(doc: TraitCandidates, key: string, c: TraitCandidate): void {
  const list = (doc[key] ??= []);
  const same = candidateOf(list, c.v);
  if (!same) {
    list.push(c);
    return;
  }
  const earlier = firstAt(c) < firstAt(same) ? c : same;
  const f = firstAt(earlier);
  const fs = firstSource(earlier);
  same.n = countOf(same) + countOf(c);
  if (c.l >= same.l) {
    same.l = c.l;
    same.s = c.s;
    same.m = c.m;
  }
  if (f === same.l) delete same.f;
  else same.f = f;
  if (fs === same.s) delete same.fs;
  else same.fs = fs;
}

/** Folds all of `from` into `into` (a merged profile's candidates into its survivor's); `from` is used up. */
export function mergeCandidates(into: TraitCandidates, from: TraitCandidates): void {
  for (const [key, list] of Object.entries(from)) for (const c of list) addCandidate(into, key, c);
}

type Settings = Pick<IdentitySettings, "traitRules" | "sourcePriority">;

/** The order a rule ranks candidates in (best first); ties go to the most recent, then the value. */
function comparator(rule: SurvivorshipRule, sourcePriority: string[]) {
  const rank = (s: string | null) => {
    const i = s ? sourcePriority.indexOf(s) : -1;
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  return (a: TraitCandidate, b: TraitCandidate) => {
    if (rule === "most_frequent" && countOf(a) !== countOf(b)) return countOf(b) - countOf(a);
    if (rule === "source_priority" && rank(a.s) !== rank(b.s)) return rank(a.s) - rank(b.s);
    if (rule === "first" && firstAt(a) !== firstAt(b)) return firstAt(a) < firstAt(b) ? -1 : 1;
    if (a.l !== b.l) return a.l > b.l ? -1 : 1;
    const x = canonicalJson(a.v);
    const y = canonicalJson(b.v);
    return x < y ? -1 : x > y ? 1 : 0;
  };
}

function best(list: TraitCandidate[], rule: SurvivorshipRule, sourcePriority: string[]): TraitCandidate {
  const cmp = comparator(rule, sourcePriority);
  return list.reduce((a, b) => (cmp(b, a) < 0 ? b : a));
}

/** The surviving candidate of a trait under the workspace's rule for it. */
export function survivor(settings: Settings, key: string, list: TraitCandidate[]): TraitCandidate | null {
  return list.length === 0 ? null : best(list, settings.traitRules[key] ?? "most_recent", settings.sourcePriority);
}

/** Drops the oldest candidates of traits that have too many, keeping every rule's survivor. */
export function capCandidates(doc: TraitCandidates, settings: Settings): void {
  for (const [key, list] of Object.entries(doc)) {
    if (list.length <= MAX_CANDIDATES_PER_TRAIT) continue;
    const keep = new Set(SURVIVORSHIP_RULES.map((rule) => best(list, rule, settings.sourcePriority)));
    for (const c of [...list].sort(comparator("most_recent", settings.sourcePriority))) {
      if (keep.size >= MAX_CANDIDATES_PER_TRAIT) break;
      keep.add(c);
    }
    doc[key] = list.filter((c) => keep.has(c));
  }
}

const text = (v: unknown): string | null => (v === undefined || v === null ? null : typeof v === "string" ? v : JSON.stringify(v));

export interface SurvivingTraits {
  traits: Record<string, unknown>;
  /** From name, else first and last name: what lists show. */
  displayName: string | null;
  /** Lower-case, for prefix search; and from its last word on ("smith ann"), for surname search. */
  searchName: string | null;
  searchNameLastFirst: string | null;
}

/** A profile's surviving trait values, and the name lists and search use. */
export function survivingTraits(doc: TraitCandidates, settings: Settings): SurvivingTraits {
  const traits: Record<string, unknown> = {};
  for (const key of Object.keys(doc).sort()) {
    const s = survivor(settings, key, doc[key]);
    if (s) traits[key] = s.v;
  }
  const full = text(traits.name) ?? [text(traits.first_name), text(traits.last_name)].filter((x) => x !== null).join(" ");
  const name = full.trim().slice(0, 200).trim() || null;
  const words = name?.toLowerCase().split(/\s+/) ?? [];
  return {
    traits,
    displayName: name,
    searchName: name?.toLowerCase() ?? null,
    searchNameLastFirst: words.length > 1 ? [words.at(-1), ...words.slice(0, -1)].join(" ") : null,
  };
}
