"use client";

// A group of conditions: match ALL (and) or ANY (or) of them, optionally negated (NOT), with
// conditions and nested groups added, removed and edited in place. Every control is a real button,
// select or input with a name, so the whole tree can be built from the keyboard.
import { useEffect, useRef } from "react";
import { FolderPlus, Plus, Trash2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { ConditionEditor } from "@/components/segments/condition-editor";
import { FieldProblems } from "@/components/segments/field-problems";
import { useBuilder, useProblems } from "@/components/segments/builder-context";
import { childPath, fieldPath, humanPath, newCondition, newGroup, type DraftGroup } from "@/components/segments/rule-draft";

export function GroupEditor({ node, path, depth }: { node: DraftGroup; path: string; depth: number }) {
  const { update, remove, add, focusUid, focused } = useBuilder();
  const problems = [...(useProblems(path) ?? []), ...(useProblems(fieldPath(path, "children")) ?? [])];
  const opRef = useRef<HTMLButtonElement>(null);
  const addRef = useRef<HTMLButtonElement>(null);
  const root = path === "";
  const number = humanPath(path);
  const name = root ? "Rule" : `Group ${number}`;

  useEffect(() => {
    // A new group takes focus on its ALL/ANY switch; after a removal, its "Add condition" button does.
    if (focusUid === node.uid || focusUid === `add:${node.uid}`) {
      (focusUid === node.uid ? opRef : addRef).current?.focus();
      focused();
    }
  }, [focusUid, node.uid, focused]);

  const setOp = (op: "and" | "or") => update(node.uid, (g) => ({ ...(g as DraftGroup), op }));
  const joiner = node.op === "and" ? "AND" : "OR";

  return (
    <div role="group" aria-label={name} data-testid={root ? "rule-root" : "rule-group"} data-path={path} className={cn("rounded-xl border p-3 sm:p-4", root ? "border-neutral-200 bg-neutral-50/60" : "border-indigo-200 bg-indigo-50/40", node.negate && "border-dashed border-amber-400 bg-amber-50/40")}>
      <div className="mb-3 flex flex-wrap items-center gap-2">
        <span className="text-sm font-medium text-neutral-700">{root ? "People who match" : "Match"}</span>
        <div role="radiogroup" aria-label={`${name}: match all or any`} className="inline-flex rounded-md border border-neutral-300 bg-white p-0.5">
          {(["and", "or"] as const).map((op, i) => (
            <button
              key={op}
              ref={i === 0 ? opRef : undefined}
              type="button"
              role="radio"
              aria-checked={node.op === op}
              onClick={() => setOp(op)}
              onKeyDown={(e) => {
                if (["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown"].includes(e.key)) {
                  e.preventDefault();
                  setOp(node.op === "and" ? "or" : "and");
                }
              }}
              className={cn(
                "rounded px-2.5 py-1 text-xs font-semibold transition-colors focus-visible:outline-hidden focus-visible:ring-2 focus-visible:ring-indigo-500",
                node.op === op ? "bg-indigo-600 text-white" : "text-neutral-600 hover:bg-neutral-100",
              )}
            >
              {op === "and" ? "ALL" : "ANY"}
            </button>
          ))}
        </div>
        <span className="text-sm text-neutral-700">of these conditions</span>
        <label className="ml-auto inline-flex cursor-pointer items-center gap-2 rounded-md px-2 py-1 text-sm text-neutral-700 hover:bg-white">
          <input
            type="checkbox"
            checked={node.negate}
            onChange={(e) => update(node.uid, (g) => ({ ...(g as DraftGroup), negate: e.target.checked }))}
            className="size-4 rounded border-neutral-300 accent-amber-600"
            aria-label={`${name}: exclude people who match (NOT)`}
          />
          <span>Exclude matches (NOT)</span>
        </label>
        {!root && (
          <Button type="button" variant="ghost" size="icon" aria-label={`Remove group ${number}`} title="Remove group" onClick={() => remove(node.uid)} className="text-neutral-500 hover:text-red-600">
            <Trash2 aria-hidden />
          </Button>
        )}
      </div>
      {node.negate && <p className="mb-3 text-xs font-medium text-amber-800">NOT: people who match this group are left out.</p>}

      <ol className="space-y-2">
        {node.children.map((child, i) => (
          <li key={child.uid}>
            {i > 0 && (
              <div aria-hidden className="my-1 pl-3 text-xs font-semibold tracking-wide text-indigo-600">
                {joiner}
              </div>
            )}
            {child.kind === "group" ? <GroupEditor node={child} path={childPath(path, i)} depth={depth + 1} /> : <ConditionEditor node={child} path={childPath(path, i)} />}
          </li>
        ))}
      </ol>
      {problems.length > 0 && <FieldProblems path={fieldPath(path, "children")} messages={problems} />}

      <div className="mt-3 flex flex-wrap gap-2">
        <Button ref={addRef} type="button" variant="outline" size="sm" onClick={() => add(node.uid, newCondition("trait"))} aria-label={root ? "Add condition" : `Add condition to group ${number}`}>
          <Plus aria-hidden /> Add condition
        </Button>
        {depth < 5 && (
          <Button type="button" variant="ghost" size="sm" onClick={() => add(node.uid, newGroup(node.op === "and" ? "or" : "and"))} aria-label={root ? "Add group" : `Add group to group ${number}`}>
            <FolderPlus aria-hidden /> Add group
          </Button>
        )}
      </div>
    </div>
  );
}
