import { describe, expect, it } from "vitest";
import { addChild, fromRule, humanPath, newCondition, newGroup, problemMap, removeNode, splitFieldErrors, toRule, updateNode, type DraftGroup } from "@/components/segments/rule-draft";
import { parseSegmentRule } from "@/lib/segments/segment-rule";

const nested = {
  kind: "group",
  op: "and",
  negate: false,
  children: [
    { kind: "trait", key: "country", type: "string", op: "equals", value: "DE" },
    {
      kind: "group",
      op: "or",
      negate: true,
      children: [
        { kind: "event", event: "Order Completed", count: { op: "at_least", value: 2 }, window: { type: "last_days", days: 30 }, where: [{ property: "total", type: "number", op: "gt", value: 100 }], aggregate: { fn: "sum", property: "total", type: "number", op: "between", value: 10, to: 500 } },
        { kind: "trait", key: "plan", type: "string", op: "in", values: ["pro", "team"] },
        { kind: "trait", key: "signed_up", type: "date", op: "within_last_days", days: 7 },
      ],
    },
  ],
};

describe("rule drafts", () => {
  it("load a stored rule and give the same rule back", () => {
    const draft = fromRule(nested);
    expect(parseSegmentRule(toRule(draft))).toEqual({ ok: true, rule: nested });
  });

  it("turn typed numbers into numbers and leave bad ones for the schema to name", () => {
    const c = { ...newCondition("trait"), key: "age", type: "number" as const, op: "between", value: " 18 ", to: "abc" };
    const rule = toRule(newGroup("and", [c]));
    expect(rule.children).toEqual([{ kind: "trait", key: "age", type: "number", op: "between", value: 18, to: "abc" }]);
    const parsed = parseSegmentRule(rule);
    expect(parsed.ok ? [] : parsed.problems).toEqual([{ path: ["children", 0, "to"], message: "Enter the upper bound." }]);
  });

  it("start new conditions empty, so the schema asks for what is missing", () => {
    const parsed = parseSegmentRule(toRule(newGroup("and", [newCondition("trait"), newCondition("event")])));
    expect(parsed.ok).toBe(false);
    const map = problemMap(parsed.ok ? [] : parsed.problems);
    expect(map.get("children.0.key")).toEqual(["Enter a trait."]);
    expect(map.get("children.1.event")).toEqual(["Enter an event name."]);
  });

  it("edit, add and remove nodes by uid", () => {
    let root: DraftGroup = newGroup("and");
    const first = root.children[0];
    const inner = newGroup("or");
    root = addChild(root, root.uid, inner);
    root = addChild(root, inner.uid, newCondition("segment"));
    expect((root.children[1] as DraftGroup).children.map((c) => c.kind)).toEqual(["trait", "segment"]);
    root = updateNode(root, first.uid, (n) => ({ ...n, key: "country" }) as typeof n);
    expect(toRule(root).children).toMatchObject([{ key: "country" }, { kind: "group", op: "or" }]);
    root = removeNode(root, (root.children[1] as DraftGroup).children[0].uid);
    expect((root.children[1] as DraftGroup).children.map((c) => c.kind)).toEqual(["segment"]);
  });

  it("number conditions for people and split server field errors", () => {
    expect(humanPath("children.1.children.0.value")).toBe("2.1");
    expect(humanPath("children.0.where.1.property")).toBe("1");
    expect(humanPath("")).toBe("");
    const { rule, fields } = splitFieldErrors({ name: ["Enter a name."], "rule.children.0.value": ["Enter a value."], rule: ["Too big."] });
    expect(fields).toEqual({ name: ["Enter a name."] });
    expect([...rule.entries()]).toEqual([["children.0.value", ["Enter a value."]], ["", ["Too big."]]]);
  });
});
