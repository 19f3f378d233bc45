"use client";

// One condition of the rule: what kind it is (trait, event, …) and its fields. Pickers offer what
// the workspace's data holds (rule vocabulary) and accept anything typed, so a key that has not
// been seen yet can still be used.
import { useEffect, useId, useRef } from "react";
import { Plus, Trash2, X } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/select";
import { ComparisonFields, TYPE_LABELS } from "@/components/segments/comparison-fields";
import { FieldProblems, invalidProps } from "@/components/segments/field-problems";
import { useBuilder, useProblems } from "@/components/segments/builder-context";
import {
  CONDITION_KIND_LABELS,
  CONDITION_KINDS,
  emptyComparison,
  fieldId,
  fieldPath,
  humanPath,
  newCondition,
  newUid,
  type ConditionKind,
  type DraftComparison,
  type DraftCondition,
} from "@/components/segments/rule-draft";
import { OPERATORS } from "@/lib/segments/segment-rule";
import type { ObservedKey } from "@/lib/segments/observe-values";

/** Fields each kind shows itself; other problems of the condition are listed under it. */
const OWN_FIELDS: Record<ConditionKind, string[]> = {
  trait: ["key", "type", "op", "value", "to", "values", "days"],
  computed_trait: ["computedTraitId", "type", "op", "value", "to", "values", "days"],
  event: ["event", "count", "count.op", "count.value", "window", "window.days", "window.from", "window.to", "where", "aggregate"],
  segment: ["segmentId", "member"],
  identifier: ["identifierType", "present"],
  consent: ["purpose", "granted"],
};

/** When a known key is picked, compare it as the type it was seen with. */
function withObservedType(c: DraftComparison, observed?: ObservedKey): DraftComparison {
  if (!observed || observed.type === c.type) return c;
  return { ...emptyComparison(observed.type), value: c.value, values: c.values };
}

function KeyHint({ observed }: { observed?: ObservedKey }) {
  if (!observed) return null;
  return (
    <p className="mt-1 max-w-56 truncate text-xs text-neutral-500" title={observed.examples.join(", ")}>
      {TYPE_LABELS[observed.type]}
      {observed.examples.length > 0 && <> · e.g. {observed.examples.slice(0, 3).join(", ")}</>}
    </p>
  );
}

function KeyPicker({ path, label, value, onChange, keys, placeholder }: { path: string; label: string; value: string; onChange: (v: string) => void; keys: ObservedKey[]; placeholder: string }) {
  const listId = useId();
  const problems = useProblems(path);
  const observed = keys.find((k) => k.key === value);
  return (
    <div>
      <Input id={fieldId(path)} aria-label={label} list={listId} value={value} onChange={(e) => onChange(e.target.value)} placeholder={placeholder} className="w-48" autoComplete="off" {...invalidProps(path, problems)} />
      <datalist id={listId}>
        {keys.map((k) => (
          <option key={k.key} value={k.key}>{`${TYPE_LABELS[k.type]}${k.examples.length ? ` · e.g. ${k.examples.slice(0, 3).join(", ")}` : ""}`}</option>
        ))}
      </datalist>
      <FieldProblems path={path} messages={problems} />
      <KeyHint observed={observed} />
    </div>
  );
}

export function ConditionEditor({ node, path }: { node: DraftCondition; path: string }) {
  const { update, remove, focusUid, focused, problems, showProblems } = useBuilder();
  const kindRef = useRef<HTMLSelectElement>(null);
  const number = humanPath(path);
  const name = `Condition ${number}`;

  useEffect(() => {
    if (focusUid === node.uid) {
      kindRef.current?.focus();
      focused();
    }
  }, [focusUid, node.uid, focused]);

  const set = (next: DraftCondition) => update(node.uid, () => next);
  const prefix = `${path}.`;
  const own = OWN_FIELDS[node.kind];
  const others = showProblems
    ? [...problems.entries()]
        .filter(([key]) => key === path || (key.startsWith(prefix) && !own.some((f) => key.slice(prefix.length) === f || key.slice(prefix.length).startsWith(`${f}.`))))
        .flatMap(([, m]) => m)
    : [];

  return (
    <div role="group" aria-label={name} data-testid="condition" data-path={path} className="rounded-lg border border-neutral-200 bg-white p-3">
      <div className="flex items-start gap-2">
        <div className="flex min-w-0 flex-1 flex-wrap items-start gap-2">
          <NativeSelect
            ref={kindRef}
            aria-label={`${name} kind`}
            value={node.kind}
            onChange={(e) => set({ ...newCondition(e.target.value as ConditionKind), uid: node.uid })}
            className="w-40 font-medium"
          >
            {CONDITION_KINDS.map((k) => (
              <option key={k} value={k}>
                {CONDITION_KIND_LABELS[k]}
              </option>
            ))}
          </NativeSelect>
          <ConditionFields node={node} path={path} set={set} />
        </div>
        <Button type="button" variant="ghost" size="icon" aria-label={`Remove condition ${number}`} title="Remove condition" onClick={() => remove(node.uid)} className="shrink-0 text-neutral-500 hover:text-red-600">
          <Trash2 aria-hidden />
        </Button>
      </div>
      {others.length > 0 && (
        <div className="mt-2 space-y-0.5 text-xs text-red-600" data-testid="field-problem">
          {others.map((m, i) => (
            <p key={i}>{m}</p>
          ))}
        </div>
      )}
    </div>
  );
}

function ConditionFields({ node, path, set }: { node: DraftCondition; path: string; set: (n: DraftCondition) => void }) {
  const { vocabulary } = useBuilder();
  const number = humanPath(path);
  const segmentProblems = useProblems(fieldPath(path, "segmentId"));
  const traitProblems = useProblems(fieldPath(path, "computedTraitId"));
  const identifierProblems = useProblems(fieldPath(path, "identifierType"));
  const purposeProblems = useProblems(fieldPath(path, "purpose"));
  const identifierList = useId();

  switch (node.kind) {
    case "trait": {
      const observed = vocabulary.traits.find((t) => t.key === node.key);
      return (
        <>
          <KeyPicker
            path={fieldPath(path, "key")}
            label={`Trait key, condition ${number}`}
            value={node.key}
            keys={vocabulary.traits}
            placeholder="trait, e.g. country"
            onChange={(key) => set({ ...node, ...withObservedType(node, vocabulary.traits.find((t) => t.key === key)), key })}
          />
          <ComparisonFields value={node} onChange={(c) => set({ ...node, ...c })} path={path} label={`Trait, condition ${number},`} examples={observed?.examples} />
        </>
      );
    }
    case "computed_trait":
      return (
        <>
          <div>
            <NativeSelect id={fieldId(fieldPath(path, "computedTraitId"))} aria-label={`Computed trait, condition ${number}`} value={node.computedTraitId} onChange={(e) => set({ ...node, computedTraitId: e.target.value })} className="w-56" {...invalidProps(fieldPath(path, "computedTraitId"), traitProblems)}>
              <option value="">{vocabulary.computedTraits.length ? "Pick a computed trait" : "No computed traits yet"}</option>
              {vocabulary.computedTraits.map((t) => (
                <option key={t.id} value={t.id}>{t.name}</option>
              ))}
              {node.computedTraitId && !vocabulary.computedTraits.some((t) => t.id === node.computedTraitId) && <option value={node.computedTraitId}>(deleted computed trait)</option>}
            </NativeSelect>
            <FieldProblems path={fieldPath(path, "computedTraitId")} messages={traitProblems} />
          </div>
          <ComparisonFields value={node} onChange={(c) => set({ ...node, ...c })} path={path} label={`Computed trait, condition ${number},`} />
        </>
      );
    case "segment":
      return (
        <>
          <NativeSelect aria-label={`Membership, condition ${number}`} value={node.member ? "in" : "out"} onChange={(e) => set({ ...node, member: e.target.value === "in" })} className="w-36">
            <option value="in">is in</option>
            <option value="out">is not in</option>
          </NativeSelect>
          <div>
            <NativeSelect id={fieldId(fieldPath(path, "segmentId"))} aria-label={`Segment, condition ${number}`} value={node.segmentId} onChange={(e) => set({ ...node, segmentId: e.target.value })} className="w-56" {...invalidProps(fieldPath(path, "segmentId"), segmentProblems)}>
              <option value="">{vocabulary.segments.length ? "Pick a segment" : "No other segments yet"}</option>
              {vocabulary.segments.map((s) => (
                <option key={s.id} value={s.id}>{s.name}</option>
              ))}
              {node.segmentId && !vocabulary.segments.some((s) => s.id === node.segmentId) && <option value={node.segmentId}>(deleted segment)</option>}
            </NativeSelect>
            <FieldProblems path={fieldPath(path, "segmentId")} messages={segmentProblems} />
          </div>
        </>
      );
    case "identifier":
      return (
        <>
          <NativeSelect aria-label={`Has identifier, condition ${number}`} value={node.present ? "has" : "lacks"} onChange={(e) => set({ ...node, present: e.target.value === "has" })} className="w-32">
            <option value="has">has</option>
            <option value="lacks">has no</option>
          </NativeSelect>
          <div>
            <Input id={fieldId(fieldPath(path, "identifierType"))} aria-label={`Identifier type, condition ${number}`} list={identifierList} value={node.identifierType} onChange={(e) => set({ ...node, identifierType: e.target.value })} placeholder="email" className="w-44" autoComplete="off" {...invalidProps(fieldPath(path, "identifierType"), identifierProblems)} />
            <datalist id={identifierList}>
              {vocabulary.identifierTypes.map((t) => (
                <option key={t.type} value={t.type}>{t.observed ? t.label : `${t.label} (none seen yet)`}</option>
              ))}
            </datalist>
            <FieldProblems path={fieldPath(path, "identifierType")} messages={identifierProblems} />
          </div>
        </>
      );
    case "consent":
      return (
        <>
          <NativeSelect aria-label={`Consent given, condition ${number}`} value={node.granted ? "yes" : "no"} onChange={(e) => set({ ...node, granted: e.target.value === "yes" })} className="w-44">
            <option value="yes">consented to</option>
            <option value="no">did not consent to</option>
          </NativeSelect>
          <div>
            <Input id={fieldId(fieldPath(path, "purpose"))} aria-label={`Consent purpose, condition ${number}`} value={node.purpose} onChange={(e) => set({ ...node, purpose: e.target.value })} placeholder="marketing" className="w-44" {...invalidProps(fieldPath(path, "purpose"), purposeProblems)} />
            <FieldProblems path={fieldPath(path, "purpose")} messages={purposeProblems} />
          </div>
        </>
      );
    case "event":
      return <EventFields node={node} path={path} set={set} />;
  }
}

type EventDraft = Extract<DraftCondition, { kind: "event" }>;

function EventFields({ node, path, set }: { node: EventDraft; path: string; set: (n: DraftCondition) => void }) {
  const { vocabulary } = useBuilder();
  const number = humanPath(path);
  const eventList = useId();
  const eventProblems = useProblems(fieldPath(path, "event"));
  const countProblems = [...(useProblems(fieldPath(path, "count.value")) ?? []), ...(useProblems(fieldPath(path, "count.op")) ?? []), ...(useProblems(fieldPath(path, "count")) ?? [])];
  const windowProblems = useProblems(fieldPath(path, "window"));
  const daysProblems = useProblems(fieldPath(path, "window.days"));
  const fromProblems = useProblems(fieldPath(path, "window.from"));
  const toProblems = useProblems(fieldPath(path, "window.to"));
  const whereProblems = useProblems(fieldPath(path, "where"));
  const properties = vocabulary.events.find((e) => e.name === node.event)?.properties ?? [];
  const numberProperties = properties.filter((p) => p.type === "number");
  const filterFocus = useRef<string | null>(null);

  useEffect(() => {
    if (!filterFocus.current) return;
    document.getElementById(filterFocus.current)?.focus();
    filterFocus.current = null;
  });

  return (
    <div className="w-full space-y-3">
      <div className="flex flex-wrap items-start gap-2">
        <span className="pt-2 text-sm text-neutral-600">performed</span>
        <div>
          <Input id={fieldId(fieldPath(path, "event"))} aria-label={`Event name, condition ${number}`} list={eventList} value={node.event} onChange={(e) => set({ ...node, event: e.target.value })} placeholder="event, e.g. Order Completed" className="w-56" autoComplete="off" {...invalidProps(fieldPath(path, "event"), eventProblems)} />
          <datalist id={eventList}>
            {vocabulary.events.map((e) => (
              <option key={e.name} value={e.name} />
            ))}
          </datalist>
          <FieldProblems path={fieldPath(path, "event")} messages={eventProblems} />
        </div>
        <NativeSelect aria-label={`How often, condition ${number}`} value={node.countOp} onChange={(e) => set({ ...node, countOp: e.target.value as EventDraft["countOp"] })} className="w-32">
          <option value="at_least">at least</option>
          <option value="at_most">at most</option>
          <option value="exactly">exactly</option>
        </NativeSelect>
        <div>
          <Input id={fieldId(fieldPath(path, "count.value"))} aria-label={`Times, condition ${number}`} inputMode="numeric" value={node.count} onChange={(e) => set({ ...node, count: e.target.value })} className="w-20" {...invalidProps(fieldPath(path, "count.value"), countProblems)} />
          <FieldProblems path={fieldPath(path, "count.value")} messages={countProblems.length ? countProblems : undefined} />
        </div>
        <span className="pt-2 text-sm text-neutral-600">{node.count.trim() === "1" ? "time" : "times"}</span>
        <div>
          <NativeSelect id={fieldId(fieldPath(path, "window"))} aria-label={`When, condition ${number}`} value={node.window} onChange={(e) => set({ ...node, window: e.target.value as EventDraft["window"] })} className="w-44" {...invalidProps(fieldPath(path, "window"), windowProblems)}>
            <option value="ever">ever</option>
            <option value="last_days">in the last …</option>
            <option value="between">between dates</option>
          </NativeSelect>
          <FieldProblems path={fieldPath(path, "window")} messages={windowProblems} />
        </div>
        {node.window === "last_days" && (
          <div className="flex items-start gap-2">
            <div>
              <Input id={fieldId(fieldPath(path, "window.days"))} aria-label={`Days, condition ${number}`} inputMode="numeric" value={node.days} onChange={(e) => set({ ...node, days: e.target.value })} className="w-20" {...invalidProps(fieldPath(path, "window.days"), daysProblems)} />
              <FieldProblems path={fieldPath(path, "window.days")} messages={daysProblems} />
            </div>
            <span className="pt-2 text-sm text-neutral-600">days</span>
          </div>
        )}
        {node.window === "between" && (
          <div className="flex items-start gap-2">
            <div>
              <Input id={fieldId(fieldPath(path, "window.from"))} type="date" aria-label={`From date, condition ${number}`} value={node.from} onChange={(e) => set({ ...node, from: e.target.value })} className="w-40" {...invalidProps(fieldPath(path, "window.from"), fromProblems)} />
              <FieldProblems path={fieldPath(path, "window.from")} messages={fromProblems} />
            </div>
            <span className="pt-2 text-sm text-neutral-600">and</span>
            <div>
              <Input id={fieldId(fieldPath(path, "window.to"))} type="date" aria-label={`To date, condition ${number}`} value={node.to} onChange={(e) => set({ ...node, to: e.target.value })} className="w-40" {...invalidProps(fieldPath(path, "window.to"), toProblems)} />
              <FieldProblems path={fieldPath(path, "window.to")} messages={toProblems} />
            </div>
          </div>
        )}
      </div>

      {node.where.map((w, i) => {
        const wPath = fieldPath(path, `where.${i}`);
        const label = `Property filter ${i + 1}, condition ${number}`;
        return (
          <div key={w.uid} className="flex flex-wrap items-start gap-2 border-l-2 border-indigo-100 pl-3" data-testid="property-filter">
            <span className="pt-2 text-sm text-neutral-600">{i === 0 ? "where" : "and"}</span>
            <KeyPicker
              path={fieldPath(wPath, "property")}
              label={`${label}, property`}
              value={w.property}
              keys={properties}
              placeholder="property, e.g. total"
              onChange={(property) => set({ ...node, where: node.where.map((x) => (x.uid === w.uid ? { ...x, ...withObservedType(x, properties.find((p) => p.key === property)), property } : x)) })}
            />
            <ComparisonFields
              value={w}
              onChange={(c) => set({ ...node, where: node.where.map((x) => (x.uid === w.uid ? { ...x, ...c } : x)) })}
              path={wPath}
              label={label}
              examples={properties.find((p) => p.key === w.property)?.examples}
            />
            <Button type="button" variant="ghost" size="icon" aria-label={`Remove property filter ${i + 1} of condition ${number}`} onClick={() => set({ ...node, where: node.where.filter((x) => x.uid !== w.uid) })} className="text-neutral-500 hover:text-red-600">
              <X aria-hidden />
            </Button>
          </div>
        );
      })}
      <FieldProblems path={fieldPath(path, "where")} messages={whereProblems} />

      {node.aggregate && (
        <div className="flex flex-wrap items-start gap-2 border-l-2 border-indigo-100 pl-3" data-testid="aggregate">
          <span className="pt-2 text-sm text-neutral-600">and the</span>
          <NativeSelect aria-label={`Sum or average, condition ${number}`} value={node.aggregate.fn} onChange={(e) => set({ ...node, aggregate: { ...node.aggregate!, fn: e.target.value as "sum" | "avg" } })} className="w-32">
            <option value="sum">sum</option>
            <option value="avg">average</option>
          </NativeSelect>
          <span className="pt-2 text-sm text-neutral-600">of</span>
          <KeyPicker
            path={fieldPath(path, "aggregate.property")}
            label={`Aggregated property, condition ${number}`}
            value={node.aggregate.property}
            keys={numberProperties}
            placeholder="number property, e.g. total"
            onChange={(property) => set({ ...node, aggregate: { ...node.aggregate!, property } })}
          />
          <ComparisonFields value={node.aggregate} onChange={(c) => set({ ...node, aggregate: { ...node.aggregate!, ...c, type: "number" } })} path={fieldPath(path, "aggregate")} label={`Aggregate, condition ${number},`} numberOnly />
          <Button type="button" variant="ghost" size="icon" aria-label={`Remove sum or average of condition ${number}`} onClick={() => set({ ...node, aggregate: null })} className="text-neutral-500 hover:text-red-600">
            <X aria-hidden />
          </Button>
        </div>
      )}

      <div className="flex flex-wrap gap-2">
        <Button
          type="button"
          variant="ghost"
          size="sm"
          onClick={() => {
            const uid = newUid();
            filterFocus.current = fieldId(fieldPath(path, `where.${node.where.length}.property`));
            set({ ...node, where: [...node.where, { uid, property: "", ...emptyComparison() }] });
          }}
        >
          <Plus aria-hidden /> Property filter
        </Button>
        {!node.aggregate && (
          <Button
            type="button"
            variant="ghost"
            size="sm"
            onClick={() => {
              filterFocus.current = fieldId(fieldPath(path, "aggregate.property"));
              set({ ...node, aggregate: { fn: "sum", property: "", ...emptyComparison("number"), op: OPERATORS.number[4] } });
            }}
          >
            <Plus aria-hidden /> Sum or average
          </Button>
        )}
      </div>
    </div>
  );
}
