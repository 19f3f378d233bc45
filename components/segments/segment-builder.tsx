"use client";

// The segment builder: name and description, the rule tree, and the live size estimate beside it.
// The rule is checked on the client with the same schema the server uses (parseSegmentRule);
// a rule with problems cannot be saved, and each problem sits next to its field, with a summary
// that moves focus to it. Problems the server finds (fieldErrors "rule.…") are shown the same way.
import { useCallback, useMemo, useRef, useState, useTransition } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { Save } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { Button, buttonVariants } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { FieldError } from "@/components/ui/form-message";
import { BuilderContext, type BuilderContextValue } from "@/components/segments/builder-context";
import { EstimatePanel, type EstimateAction } from "@/components/segments/estimate-panel";
import { GroupEditor } from "@/components/segments/group-editor";
import {
  addChild,
  fieldId,
  fromRule,
  humanPath,
  newGroup,
  problemMap,
  removeNode,
  splitFieldErrors,
  toRule,
  updateNode,
  type DraftGroup,
  type DraftNode,
  type ProblemMap,
} from "@/components/segments/rule-draft";
import type { ActionResult } from "@/lib/auth/authorized-action";
import type { RuleVocabulary } from "@/lib/segments/rule-vocabulary";
import { parseSegmentRule } from "@/lib/segments/segment-rule";

type SaveInput = { name: string; description: string; rule: unknown };
export type CreateSegmentAction = (slug: string, input: SaveInput) => Promise<ActionResult<{ id: string; key: string }>>;
export type UpdateSegmentAction = (slug: string, input: SaveInput & { segmentId: string; version: number }) => Promise<ActionResult<{ id: string; key: string; version: number }>>;

export interface SegmentBuilderProps {
  slug: string;
  vocabulary: RuleVocabulary;
  estimate: EstimateAction;
  /** Editing an existing segment (else a new one is created). */
  segment?: { id: string; name: string; description: string; rule: unknown; version: number };
  create?: CreateSegmentAction;
  update?: UpdateSegmentAction;
}

function findParent(root: DraftGroup, uid: string): DraftGroup | null {
  for (const c of root.children) {
    if (c.uid === uid) return root;
    if (c.kind === "group") {
      const found = findParent(c, uid);
      if (found) return found;
    }
  }
  return null;
}

/** "Condition 2.1", "Group 2", "Rule" for a problem's path. */
function placeOf(path: string): string {
  const where = humanPath(path);
  if (path === "" || path === "children") return "Rule";
  if (path.endsWith(".children")) return `Group ${where}`;
  return /children\.\d+$/.test(path) ? `Item ${where}` : `Condition ${where}`;
}

export function SegmentBuilder({ slug, vocabulary, estimate, segment, create, update: updateAction }: SegmentBuilderProps) {
  const router = useRouter();
  const [root, setRoot] = useState<DraftGroup>(() => {
    const loaded = segment ? fromRule(segment.rule) : null;
    return loaded?.kind === "group" ? loaded : newGroup("and");
  });
  const [name, setName] = useState(segment?.name ?? "");
  const [description, setDescription] = useState(segment?.description ?? "");
  const [submitted, setSubmitted] = useState(false);
  const [serverProblems, setServerProblems] = useState<ProblemMap>(new Map());
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [focusUid, setFocusUid] = useState<string | null>(null);
  const [saving, startSaving] = useTransition();
  const summaryRef = useRef<HTMLDivElement>(null);
  const nameRef = useRef<HTMLInputElement>(null);

  const rule = useMemo(() => toRule(root), [root]);
  const parsed = useMemo(() => parseSegmentRule(rule), [rule]);
  const clientProblems = useMemo(() => (parsed.ok ? new Map() : problemMap(parsed.problems)), [parsed]);
  // Server problems stand until the rule changes (then the client's check is current again).
  const problems: ProblemMap = serverProblems.size > 0 ? serverProblems : clientProblems;
  const problemCount = [...problems.values()].reduce((n, m) => n + m.length, 0);

  const edit = useCallback((next: (r: DraftGroup) => DraftGroup) => {
    setRoot(next);
    setServerProblems(new Map());
  }, []);

  const ctx: BuilderContextValue = useMemo(
    () => ({
      vocabulary,
      problems,
      showProblems: submitted || serverProblems.size > 0,
      update: (uid, change) => edit((r) => updateNode(r, uid, change)),
      remove: (uid) =>
        edit((r) => {
          const parent = findParent(r, uid);
          if (parent) setFocusUid(`add:${parent.uid}`);
          return removeNode(r, uid);
        }),
      add: (groupUid: string, child: DraftNode) => {
        // A new condition takes focus on its first control; a new group on its first condition.
        setFocusUid(child.kind === "group" ? (child.children[0]?.uid ?? child.uid) : child.uid);
        edit((r) => addChild(r, groupUid, child));
      },
      focusUid,
      focused: () => setFocusUid(null),
    }),
    [vocabulary, problems, submitted, serverProblems.size, edit, focusUid],
  );

  function save() {
    setSubmitted(true);
    setFormError(null);
    const nameProblem = name.trim() === "" ? ["Give the segment a name."] : undefined;
    setFieldErrors(nameProblem ? { name: nameProblem } : {});
    if (!parsed.ok || nameProblem) {
      // Focus the summary so screen readers announce what is wrong; it links to each field.
      requestAnimationFrame(() => (parsed.ok ? nameRef.current : summaryRef.current)?.focus());
      return;
    }
    startSaving(async () => {
      const input = { name: name.trim(), description: description.trim(), rule: parsed.rule };
      const result = segment && updateAction ? await updateAction(slug, { ...input, segmentId: segment.id, version: segment.version }) : await create!(slug, input);
      if (result.ok) {
        router.push(`/${slug}/segments/${result.data.id}`);
        router.refresh();
        return;
      }
      const split = splitFieldErrors(result.error.fieldErrors);
      setServerProblems(split.rule);
      setFieldErrors(split.fields);
      setFormError(
        result.error.code === "conflict"
          ? `${result.error.message} Reload the page to see the latest version, then make your change again.`
          : result.error.message,
      );
      requestAnimationFrame(() => summaryRef.current?.focus());
    });
  }

  const shownProblems = ctx.showProblems ? [...problems.entries()] : [];
  const base = `/${slug}/segments`;

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
      className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_18rem]"
    >
      <div className="min-w-0 space-y-6">
        <div className="grid gap-4 sm:grid-cols-2">
          <div className="space-y-1.5">
            <Label htmlFor="segment-name">Name</Label>
            <Input
              ref={nameRef}
              id="segment-name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              placeholder="e.g. Repeat buyers in Germany"
              maxLength={120}
              aria-invalid={fieldErrors.name ? true : undefined}
              aria-describedby={fieldErrors.name ? "segment-name-error" : undefined}
            />
            <FieldError id="segment-name-error" messages={fieldErrors.name} />
          </div>
          <div className="space-y-1.5">
            <Label htmlFor="segment-description">Description <span className="font-normal text-neutral-500">(optional)</span></Label>
            <Input
              id="segment-description"
              value={description}
              onChange={(e) => setDescription(e.target.value)}
              maxLength={500}
              placeholder="Who this is for and how it is used"
              aria-invalid={fieldErrors.description ? true : undefined}
            />
            <FieldError messages={fieldErrors.description} />
          </div>
        </div>

        {(formError || shownProblems.length > 0) && (
          <div ref={summaryRef} tabIndex={-1} className="outline-hidden" data-testid="problem-summary">
            <Alert variant="error" title={formError ?? (problemCount === 1 ? "One thing to fix before saving" : `${problemCount} things to fix before saving`)}>
              {shownProblems.length > 0 && (
                <ul className="mt-1 space-y-0.5">
                  {shownProblems.flatMap(([path, messages]) =>
                    messages.map((m, i) => (
                      <li key={`${path}-${i}`}>
                        <button
                          type="button"
                          className="text-left underline decoration-red-300 underline-offset-2 hover:decoration-red-700"
                          onClick={() => {
                            const target = document.getElementById(fieldId(path)) ?? document.querySelector<HTMLElement>(`[data-path="${path}"] select, [data-path="${path}"] input`);
                            target?.focus();
                          }}
                        >
                          {placeOf(path)}: {m}
                        </button>
                      </li>
                    )),
                  )}
                </ul>
              )}
            </Alert>
          </div>
        )}

        <section aria-labelledby="rule-title" className="space-y-2">
          <h2 id="rule-title" className="text-base font-semibold text-neutral-900">Who is in it</h2>
          <p className="text-sm text-neutral-600">Combine traits, events and other segments. Use groups for “either … or …” and NOT to leave people out.</p>
          <BuilderContext.Provider value={ctx}>
            <GroupEditor node={root} path="" depth={1} />
          </BuilderContext.Provider>
        </section>

        <div className="flex flex-wrap items-center gap-3 border-t border-neutral-200 pt-4">
          <Button type="submit" disabled={saving}>
            <Save aria-hidden /> {saving ? "Saving…" : segment ? "Save changes" : "Save segment"}
          </Button>
          <Link href={segment ? `${base}/${segment.id}` : base} className={buttonVariants({ variant: "ghost" })}>
            Cancel
          </Link>
          {!parsed.ok && submitted && <p className="text-sm text-red-600">Fix the highlighted fields to save.</p>}
        </div>
      </div>

      <aside className="lg:sticky lg:top-6 lg:self-start">
        <EstimatePanel slug={slug} rule={parsed.ok ? parsed.rule : null} problemCount={problemCount} estimate={estimate} segments={vocabulary.segments} excludeSegmentId={segment?.id} />
      </aside>
    </form>
  );
}
