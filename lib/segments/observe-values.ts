// What the builder's pickers know about keys seen in sample data (traits, event properties): each
// key's most common value type and a few example values. Pure, so the type rules are unit-tested.
import { asTime } from "@/lib/segments/segment-values";
import type { ValueType } from "@/lib/segments/segment-rule";

export interface ObservedKey {
  key: string;
  /** The most frequent type among the sampled values (ties: string > number > date > boolean). */
  type: ValueType;
  /** Up to `maxExamples` distinct values, most frequent first, as text. */
  examples: string[];
  /** In how many sampled records the key had a value. */
  seen: number;
}

/** A JSON value's type in segment terms; a string that is an ISO date counts as a date. Objects, arrays and null: none. */
export function valueTypeOf(v: unknown): ValueType | null {
  if (typeof v === "number" && Number.isFinite(v)) return "number";
  if (typeof v === "boolean") return "boolean";
  if (typeof v === "string") return asTime(v) !== null ? "date" : "string";
  return null;
}

const TYPE_ORDER: ValueType[] = ["string", "number", "date", "boolean"];

/**
 * Keys of the given records (top level only: rules address top-level keys), most often seen first,
 * at most `maxKeys`. `show` turns a value into the example text (e.g. masking contact details).
 */
export function observeKeys(
  records: unknown[],
  options: { maxKeys?: number; maxExamples?: number; show?: (key: string, value: string) => string } = {},
): ObservedKey[] {
  const maxExamples = options.maxExamples ?? 5;
  const stats = new Map<string, { seen: number; types: Map<ValueType, number>; values: Map<string, number> }>();
  for (const record of records) {
    if (typeof record !== "object" || record === null || Array.isArray(record)) continue;
    for (const [key, value] of Object.entries(record)) {
      const type = valueTypeOf(value);
      if (type === null) continue;
      let s = stats.get(key);
      if (!s) stats.set(key, (s = { seen: 0, types: new Map(), values: new Map() }));
      s.seen += 1;
      s.types.set(type, (s.types.get(type) ?? 0) + 1);
      const text = String(value).slice(0, 80);
      // Bounded per key: a high-cardinality key (ids, timestamps) must not grow without limit.
      if (s.values.has(text) || s.values.size < 50) s.values.set(text, (s.values.get(text) ?? 0) + 1);
    }
  }
  return [...stats.entries()]
    .map(([key, s]) => {
      const type = [...s.types.entries()].sort((a, b) => b[1] - a[1] || TYPE_ORDER.indexOf(a[0]) - TYPE_ORDER.indexOf(b[0]))[0][0];
      const examples = [...s.values.entries()]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .slice(0, maxExamples)
        .map(([v]) => (options.show ? options.show(key, v) : v));
      return { key, type, examples: [...new Set(examples)], seen: s.seen };
    })
    .sort((a, b) => b.seen - a.seen || a.key.localeCompare(b.key))
    .slice(0, options.maxKeys ?? 200);
}
