// The builder's working copy of a rule. Number and date fields hold the text as typed (so "1." or
// an empty box survive re-renders); toRule() turns a draft into the rule shape that
// parseSegmentRule() checks, and fromRule() loads a stored rule. Every node carries a `uid` for
// React keys and focus; paths ("children.1.value") are the same as the rule's, so a problem from
// parseSegmentRule or the server lands next to the field it is about.
import { OPERATORS, type RuleProblem, type ValueType } from "@/lib/segments/segment-rule";

export const CONDITION_KINDS = ["trait", "event", "computed_trait", "segment", "identifier", "consent"] as const;
export type ConditionKind = (typeof CONDITION_KINDS)[number];

export const CONDITION_KIND_LABELS: Record<ConditionKind, string> = {
  trait: "Trait",
  event: "Event",
  computed_trait: "Computed trait",
  segment: "Segment membership",
  identifier: "Identifier",
  consent: "Consent",
};

export interface DraftComparison {
  type: ValueType;
  op: string;
  value: string;
  to: string;
  /** in / not_in: comma-separated. */
  values: string;
  days: string;
}

export type CountOp = "at_least" | "at_most" | "exactly";
export type WindowType = "ever" | "last_days" | "between";

export type DraftCondition =
  | ({ uid: string; kind: "trait"; key: string } & DraftComparison)
  | {
      uid: string;
      kind: "event";
      event: string;
      countOp: CountOp;
      count: string;
      window: WindowType;
      days: string;
      from: string;
      to: string;
      where: ({ uid: string; property: string } & DraftComparison)[];
      aggregate: ({ fn: "sum" | "avg"; property: string } & DraftComparison) | null;
    }
  | ({ uid: string; kind: "computed_trait"; computedTraitId: string } & DraftComparison)
  | { uid: string; kind: "segment"; segmentId: string; member: boolean }
  | { uid: string; kind: "identifier"; identifierType: string; present: boolean }
  | { uid: string; kind: "consent"; purpose: string; granted: boolean };

export interface DraftGroup {
  uid: string;
  kind: "group";
  op: "and" | "or";
  negate: boolean;
  children: DraftNode[];
}

export type DraftNode = DraftGroup | DraftCondition;

let counter = 0;
export const newUid = () => `n${++counter}-${Math.random().toString(36).slice(2, 7)}`;

export const emptyComparison = (type: ValueType = "string"): DraftComparison => ({ type, op: OPERATORS[type][0], value: "", to: "", values: "", days: "" });

export function newCondition(kind: ConditionKind): DraftCondition {
  const uid = newUid();
  switch (kind) {
    case "trait":
      return { uid, kind, key: "", ...emptyComparison() };
    case "event":
      return { uid, kind, event: "", countOp: "at_least", count: "1", window: "ever", days: "30", from: "", to: "", where: [], aggregate: null };
    case "computed_trait":
      return { uid, kind, computedTraitId: "", ...emptyComparison("number") };
    case "segment":
      return { uid, kind, segmentId: "", member: true };
    case "identifier":
      return { uid, kind, identifierType: "", present: true };
    case "consent":
      return { uid, kind, purpose: "", granted: true };
  }
}

export const newGroup = (op: "and" | "or" = "and", children: DraftNode[] = [newCondition("trait")]): DraftGroup => ({ uid: newUid(), kind: "group", op, negate: false, children });

// ---------------------------------------------------------------------------------------------
// Draft -> rule

const NUMBER = /^\s*-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;
/** Text to a number when it is one; otherwise left as text, so the schema says what is wrong. */
const num = (s: string): number | string | undefined => (s.trim() === "" ? undefined : NUMBER.test(s) ? Number(s) : s);
const text = (s: string): string | undefined => (s.trim() === "" ? undefined : s.trim());

function comparison(c: DraftComparison): Record<string, unknown> {
  const out: Record<string, unknown> = { type: c.type, op: c.op };
  if (["exists", "not_exists", "is_true", "is_false"].includes(c.op)) return out;
  if (c.op === "in" || c.op === "not_in") {
    const parts = c.values.split(",").map((v) => v.trim()).filter(Boolean);
    out.values = c.type === "number" ? parts.map((p) => num(p) ?? p) : parts;
    return out;
  }
  if (c.op === "within_last_days" || c.op === "within_next_days") {
    out.days = num(c.days);
    return out;
  }
  out.value = c.type === "number" ? num(c.value) : c.type === "date" ? text(c.value) : c.value === "" ? undefined : c.value;
  if (c.op === "between") out.to = c.type === "number" ? num(c.to) : text(c.to);
  return out;
}

/** The rule the draft stands for (not yet validated: run parseSegmentRule on it). */
export function toRule(node: DraftNode): Record<string, unknown> {
  switch (node.kind) {
    case "group":
      return { kind: "group", op: node.op, negate: node.negate, children: node.children.map(toRule) };
    case "trait":
      return { kind: "trait", key: node.key.trim(), ...comparison(node) };
    case "computed_trait":
      return { kind: "computed_trait", computedTraitId: node.computedTraitId, ...comparison(node) };
    case "segment":
      return { kind: "segment", segmentId: node.segmentId, member: node.member };
    case "identifier":
      return { kind: "identifier", identifierType: node.identifierType.trim(), present: node.present };
    case "consent":
      return { kind: "consent", purpose: node.purpose.trim(), granted: node.granted };
    case "event": {
      const window = node.window === "ever" ? { type: "ever" } : node.window === "last_days" ? { type: "last_days", days: num(node.days) } : { type: "between", from: text(node.from), to: text(node.to) };
      return {
        kind: "event",
        event: node.event.trim(),
        count: { op: node.countOp, value: num(node.count) },
        window,
        where: node.where.map((w) => ({ property: w.property.trim(), ...comparison(w) })),
        ...(node.aggregate ? { aggregate: { fn: node.aggregate.fn, property: node.aggregate.property.trim(), ...comparison(node.aggregate) } } : {}),
      };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Rule -> draft (a stored rule; anything unreadable becomes an empty field the schema will flag)

type Loose = Record<string, unknown>;
const str = (v: unknown) => (v === undefined || v === null ? "" : String(v));
const isType = (v: unknown): v is ValueType => v === "string" || v === "number" || v === "boolean" || v === "date";

function draftComparison(c: Loose): DraftComparison {
  const type = isType(c.type) ? c.type : "string";
  return { type, op: typeof c.op === "string" ? c.op : OPERATORS[type][0], value: str(c.value), to: str(c.to), values: Array.isArray(c.values) ? c.values.map(str).join(", ") : "", days: str(c.days) };
}

export function fromRule(rule: unknown): DraftNode {
  const n = (typeof rule === "object" && rule !== null ? rule : {}) as Loose;
  const uid = newUid();
  switch (n.kind) {
    case "group":
      return { uid, kind: "group", op: n.op === "or" ? "or" : "and", negate: n.negate === true, children: Array.isArray(n.children) ? n.children.map(fromRule) : [] };
    case "trait":
      return { uid, kind: "trait", key: str(n.key), ...draftComparison(n) };
    case "computed_trait":
      return { uid, kind: "computed_trait", computedTraitId: str(n.computedTraitId), ...draftComparison(n) };
    case "segment":
      return { uid, kind: "segment", segmentId: str(n.segmentId), member: n.member !== false };
    case "identifier":
      return { uid, kind: "identifier", identifierType: str(n.identifierType), present: n.present !== false };
    case "consent":
      return { uid, kind: "consent", purpose: str(n.purpose), granted: n.granted !== false };
    case "event": {
      const count = (n.count ?? {}) as Loose;
      const w = (n.window ?? {}) as Loose;
      const agg = n.aggregate as Loose | undefined;
      return {
        uid,
        kind: "event",
        event: str(n.event),
        countOp: count.op === "at_most" || count.op === "exactly" ? count.op : "at_least",
        count: str(count.value),
        window: w.type === "last_days" || w.type === "between" ? w.type : "ever",
        days: w.type === "last_days" ? str(w.days) : "30",
        from: str(w.from),
        to: str(w.to),
        where: Array.isArray(n.where) ? n.where.map((f: Loose) => ({ uid: newUid(), property: str(f.property), ...draftComparison(f) })) : [],
        aggregate: agg ? { fn: agg.fn === "avg" ? "avg" : "sum", property: str(agg.property), ...draftComparison({ ...agg, type: "number" }) } : null,
      };
    }
    default:
      return { uid, kind: "trait", key: "", ...emptyComparison() };
  }
}

// ---------------------------------------------------------------------------------------------
// Tree edits (pure: each returns a new tree)

export function updateNode(root: DraftGroup, uid: string, change: (n: DraftNode) => DraftNode): DraftGroup {
  const visit = (n: DraftNode): DraftNode => {
    if (n.uid === uid) return change(n);
    return n.kind === "group" ? { ...n, children: n.children.map(visit) } : n;
  };
  return visit(root) as DraftGroup;
}

export function removeNode(root: DraftGroup, uid: string): DraftGroup {
  const visit = (g: DraftGroup): DraftGroup => ({ ...g, children: g.children.filter((c) => c.uid !== uid).map((c) => (c.kind === "group" ? visit(c) : c)) });
  return visit(root);
}

export function addChild(root: DraftGroup, groupUid: string, child: DraftNode): DraftGroup {
  return updateNode(root, groupUid, (g) => (g.kind === "group" ? { ...g, children: [...g.children, child] } : g));
}

// ---------------------------------------------------------------------------------------------
// Problems by path

/** Problems keyed by their path in the rule ("children.1.value"; "" for the rule itself). */
export type ProblemMap = Map<string, string[]>;

export function problemMap(problems: RuleProblem[]): ProblemMap {
  const map: ProblemMap = new Map();
  for (const p of problems) {
    const key = p.path.join(".");
    map.set(key, [...(map.get(key) ?? []), p.message]);
  }
  return map;
}

/** Server field errors ("rule.children.0.value", "name") split into rule problems and other fields. */
export function splitFieldErrors(fieldErrors: Record<string, string[]> | undefined): { rule: ProblemMap; fields: Record<string, string[]> } {
  const rule: ProblemMap = new Map();
  const fields: Record<string, string[]> = {};
  for (const [key, messages] of Object.entries(fieldErrors ?? {})) {
    if (key === "rule" || key.startsWith("rule.")) rule.set(key === "rule" ? "" : key.slice(5), messages);
    else fields[key] = messages;
  }
  return { rule, fields };
}

export const childPath = (parent: string, index: number) => (parent ? `${parent}.children.${index}` : `children.${index}`);
export const fieldPath = (node: string, field: string) => (node ? `${node}.${field}` : field);
/** "children.1.children.0" -> "2.1": how the builder numbers conditions for people. */
export const humanPath = (path: string) =>
  path
    .split(".")
    .filter((_, i, parts) => parts[i - 1] === "children")
    .map((i) => Number(i) + 1)
    .join(".");
/** A DOM id for the field at a rule path, so the summary can move focus to it. */
export const fieldId = (path: string) => `rule-${path.replace(/\./g, "-") || "root"}`;
