// A segment's rule in words, for the segment page and lists: "People who performed Order Completed
// at least 2 times in the last 30 days and whose country is DE". Names of computed traits and
// segments come from the caller (ids are not words).
import type { Comparison, EventWindow, RuleNode } from "@/lib/segments/segment-rule";

export interface DescribeNames {
  computedTraits?: Record<string, string>;
  segments?: Record<string, string>;
}

const quote = (v: unknown) => (typeof v === "number" ? v.toLocaleString("en") : String(v));
const list = (values: (string | number)[]) => (values.length <= 1 ? values.map(quote).join("") : `${values.slice(0, -1).map(quote).join(", ")} or ${quote(values.at(-1)!)}`);
const times = (n: number) => `${n.toLocaleString("en")} ${n === 1 ? "time" : "times"}`;

/** "is DE", "is between 18 and 30", "is within the last 7 days", "is set". */
export function describeComparison(c: Comparison): string {
  switch (c.op) {
    case "exists":
      return "is set";
    case "not_exists":
      return "is not set";
    case "equals":
    case "eq":
      return `is ${quote(c.value)}`;
    case "not_equals":
    case "neq":
      return `is not ${quote(c.value)}`;
    case "contains":
      return `contains "${quote(c.value)}"`;
    case "starts_with":
      return `starts with "${quote(c.value)}"`;
    case "in":
      return `is ${list(c.values ?? [])}`;
    case "not_in":
      return `is not ${list(c.values ?? [])}`;
    case "lt":
      return `is less than ${quote(c.value)}`;
    case "lte":
      return `is at most ${quote(c.value)}`;
    case "gt":
      return `is more than ${quote(c.value)}`;
    case "gte":
      return `is at least ${quote(c.value)}`;
    case "between":
      return `is between ${quote(c.value)} and ${quote(c.to)}`;
    case "is_true":
      return "is true";
    case "is_false":
      return "is false";
    case "before":
      return `is before ${quote(c.value)}`;
    case "after":
      return `is after ${quote(c.value)}`;
    case "within_last_days":
      return `is within the last ${c.days === 1 ? "day" : `${c.days} days`}`;
    case "within_next_days":
      return `is within the next ${c.days === 1 ? "day" : `${c.days} days`}`;
    default:
      return c.op;
  }
}

function describeWindow(w: EventWindow): string {
  if (w.type === "ever") return "";
  if (w.type === "last_days") return w.days === 1 ? " in the last day" : ` in the last ${w.days} days`;
  return ` between ${w.from} and ${w.to}`;
}

function describeNode(node: RuleNode, names: DescribeNames, nested: boolean): string {
  switch (node.kind) {
    case "group": {
      const parts = node.children.map((c) => describeNode(c, names, true));
      const joined = parts.join(node.op === "and" ? " and " : " or ");
      if (node.negate) return `not (${joined})`;
      return nested && parts.length > 1 ? `(${joined})` : joined;
    }
    case "trait":
      return `whose ${node.key} ${describeComparison(node)}`;
    case "computed_trait":
      return `whose ${names.computedTraits?.[node.computedTraitId] ?? "computed trait (deleted)"} ${describeComparison(node)}`;
    case "segment":
      return `${node.member ? "who are" : "who are not"} in ${names.segments?.[node.segmentId] ?? "a deleted segment"}`;
    case "identifier":
      return `${node.present ? "who have" : "who have no"} ${node.identifierType.replace(/_/g, " ")}`;
    case "consent":
      return `who ${node.granted ? "consented" : "did not consent"} to ${node.purpose}`;
    case "event": {
      const { op, value } = node.count;
      const count = op === "exactly" && value === 0 ? null : op === "at_least" && value === 1 ? "" : ` ${op.replace("_", " ")} ${times(value)}`;
      const filters = node.where.length ? ` where ${node.where.map((f) => `${f.property} ${describeComparison(f)}`).join(" and ")}` : "";
      const aggregate = node.aggregate ? ` (the ${node.aggregate.fn === "sum" ? "sum" : "average"} of ${node.aggregate.property} ${describeComparison(node.aggregate)})` : "";
      const verb = count === null ? "did not perform" : "performed";
      return `who ${verb} ${node.event}${count ?? ""}${describeWindow(node.window)}${filters}${aggregate}`;
    }
  }
}

/** The whole rule as one sentence starting with "People". */
export function describeSegment(rule: RuleNode, names: DescribeNames = {}): string {
  return `People ${describeNode(rule, names, false)}`;
}
