"use client";

import { Fragment, useId, useMemo, useRef, useState, useTransition, type ReactNode } from "react";
import { Plus, RotateCcw, X } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { FieldError } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/select";
import { AddValueInput, ChipList } from "@/components/identity/chip-list";
import { OrderedList } from "@/components/identity/ordered-list";
import {
  COMMON_REGIONS,
  draftFromSettings,
  errorsUnder,
  identifierLabel,
  isBuiltInType,
  newRowId,
  PATTERN_EXPLANATIONS,
  quote,
  RULE_LABELS,
  RULES,
  settingsFromDraft,
  type FieldErrors,
  type IdentityDraft,
} from "@/components/identity/identity-draft";
import { RelativeTime } from "@/components/sources/relative-time";
import { ACCOUNT_IDENTIFIER_TYPE, BUILT_IN_IDENTIFIER_TYPES, DEFAULT_BLOCKED_VALUES, identitySettingsSchema } from "@/lib/identity/identity-settings";
import type { IdentitySettingsRecord } from "@/lib/identity/save-identity-settings";
import { resetIdentitySettingsAction, saveIdentitySettingsAction } from "./actions";

interface SourceOption {
  id: string;
  name: string;
}

type SetField = <K extends keyof IdentityDraft>(key: K, value: IdentityDraft[K] | ((current: IdentityDraft[K]) => IdentityDraft[K])) => void;

interface SectionProps {
  draft: IdentityDraft;
  set: SetField;
  errors: FieldErrors | undefined;
  readOnly: boolean;
}

const identifierTypeSchema = identitySettingsSchema.shape.priority.element;
const patternSchema = identitySettingsSchema.shape.blockedPatterns.element;

function checkIdentifierType(value: string, existing: string[]): string | null {
  const parsed = identifierTypeSchema.safeParse(value);
  if (!parsed.success) return `${quote(value)} ${parsed.error.issues[0]?.message ?? "is not a valid identifier type"}.`;
  if (value === ACCOUNT_IDENTIFIER_TYPE) return `${quote(value)} identifies accounts (from group calls), not people.`;
  if (existing.includes(value)) return `${quote(value)} is already in the list.`;
  return null;
}

/** A trait key as an identifier type: "Loyalty ID" → "loyalty_id". */
const typeFromKey = (key: string) =>
  key
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");

function move<T>(list: T[], from: number, to: number): T[] {
  const next = [...list];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item);
  return next;
}

const has = (errors: FieldErrors | undefined, key: string) => !!errors?.[key]?.length;

function Section({ id, title, description, children, testId }: { id: string; title: string; description: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <Card id={id} aria-labelledby={`${id}-title`} role="region" data-testid={testId ?? `section-${id}`}>
      <CardHeader>
        <CardTitle id={`${id}-title`}>{title}</CardTitle>
        <CardDescription>{description}</CardDescription>
      </CardHeader>
      <CardContent className="space-y-4">{children}</CardContent>
    </Card>
  );
}

export function IdentitySettingsForm({
  slug,
  record,
  sources,
  readOnly,
}: {
  slug: string;
  record: IdentitySettingsRecord;
  sources: SourceOption[];
  readOnly: boolean;
}) {
  const sourceIds = useMemo(() => new Set(sources.map((s) => s.id)), [sources]);
  const [saved, setSaved] = useState(record);
  const [draft, setDraft] = useState(() => draftFromSettings(record.settings, sourceIds));
  const [errors, setErrors] = useState<FieldErrors | undefined>();
  const [status, setStatus] = useState<{ kind: "success" | "error"; message: string; details?: string[] } | null>(null);
  const [pending, startTransition] = useTransition();
  const [resetOpen, setResetOpen] = useState(false);
  const [resetting, startReset] = useTransition();
  // Bumped on save and reset, so the sections start afresh from what was stored.
  const [version, setVersion] = useState(0);
  const statusRef = useRef<HTMLDivElement>(null);

  const baseline = useMemo(() => JSON.stringify(settingsFromDraft(draftFromSettings(saved.settings, sourceIds)).settings), [saved, sourceIds]);
  const dirty = JSON.stringify(settingsFromDraft(draft).settings) !== baseline;

  const set: SetField = (key, value) => {
    setDraft((d) => ({ ...d, [key]: typeof value === "function" ? (value as (c: IdentityDraft[typeof key]) => IdentityDraft[typeof key])(d[key]) : value }));
    setStatus((s) => (s?.kind === "success" ? null : s));
  };

  function showErrors(fieldErrors: FieldErrors | undefined, message: string) {
    setErrors(fieldErrors);
    const details = fieldErrors ? Object.values(fieldErrors).flat() : undefined;
    setStatus({ kind: "error", message: details ? `${details.length === 1 ? "One setting needs" : `${details.length} settings need`} attention:` : message, details });
    requestAnimationFrame(() => statusRef.current?.focus());
  }

  function save(e: React.FormEvent) {
    e.preventDefault();
    if (readOnly) return;
    const { settings, errors: local } = settingsFromDraft(draft);
    if (Object.keys(local).length > 0) return showErrors(local, "");
    startTransition(async () => {
      const result = await saveIdentitySettingsAction(slug, { settings, expectedUpdatedAt: saved.updatedAt });
      if (!result.ok) return showErrors(result.error.fieldErrors, result.error.message);
      setSaved(result.data);
      setDraft(draftFromSettings(result.data.settings, sourceIds));
      setVersion((v) => v + 1);
      setErrors(undefined);
      setStatus({ kind: "success", message: "Identity rules saved. They apply to events processed from now on." });
    });
  }

  function reset() {
    startReset(async () => {
      const result = await resetIdentitySettingsAction(slug, {});
      setResetOpen(false);
      if (!result.ok) return showErrors(undefined, result.error.message);
      setSaved(result.data);
      setDraft(draftFromSettings(result.data.settings, sourceIds));
      setVersion((v) => v + 1);
      setErrors(undefined);
      setStatus({ kind: "success", message: "Identity rules reset to the defaults." });
    });
  }

  const props: SectionProps = { draft, set, errors, readOnly };
  return (
    <form onSubmit={save} noValidate aria-label="Identity rules" className="space-y-6">
      {readOnly && (
        <Alert variant="info" title="Read only">
          You can see the identity rules of this workspace; only admins can change them.
        </Alert>
      )}
      <p className="text-sm text-neutral-600" data-testid="identity-saved-at">
        {saved.isDefault ? (
          "This workspace uses Tessera’s default rules."
        ) : (
          <>
            Last changed {saved.updatedAt ? <RelativeTime iso={saved.updatedAt} /> : null}
            {saved.updatedByName ? ` by ${saved.updatedByName}` : ""}. Changes apply to events processed after saving; profiles already built are not re-resolved.
          </>
        )}
      </p>

      <Fragment key={version}>
        <PrioritySection {...props} />
        <LimitsSection {...props} />
        <SharedSection {...props} />
        <BlockedSection {...props} />
        <PhoneSection {...props} />
        <TraitIdentifiersSection {...props} />
        <SurvivorshipSection {...props} sources={sources} />
      </Fragment>

      {!readOnly && (
        <div className="sticky bottom-0 z-10 -mx-1 rounded-xl border border-neutral-200 bg-white/95 p-4 shadow-md backdrop-blur">
          <div ref={statusRef} tabIndex={-1} className="outline-hidden">
            {status?.kind === "success" && (
              <Alert variant="success" className="mb-3">
                {status.message}
              </Alert>
            )}
            {status?.kind === "error" && (
              <Alert variant="error" className="mb-3" title={status.message}>
                {status.details && (
                  <ul className="max-h-32 list-disc space-y-0.5 overflow-y-auto pl-4">
                    {status.details.map((d, i) => (
                      <li key={i}>{d}</li>
                    ))}
                  </ul>
                )}
              </Alert>
            )}
          </div>
          <div className="flex flex-wrap items-center gap-3">
            <Button type="submit" disabled={pending || resetting}>
              {pending ? "Saving…" : "Save changes"}
            </Button>
            <Button type="button" variant="outline" disabled={pending || resetting || (saved.isDefault && !dirty)} onClick={() => setResetOpen(true)}>
              <RotateCcw aria-hidden /> Reset to defaults
            </Button>
            <span className="text-sm text-neutral-500" aria-live="polite">
              {dirty ? "You have unsaved changes." : ""}
            </span>
          </div>
        </div>
      )}

      <Dialog open={resetOpen} onOpenChange={(open) => !resetting && setResetOpen(open)}>
        <DialogContent>
          <DialogHeader>
            <DialogTitle>Reset identity rules to the defaults?</DialogTitle>
            <DialogDescription>
              Every rule on this page — priority, limits, shared and blocked identifiers, phone region, trait mappings and survivorship — goes back to Tessera’s defaults, and unsaved changes are discarded. Profiles already built stay as they are.
            </DialogDescription>
          </DialogHeader>
          <DialogFooter>
            <DialogClose asChild>
              <Button type="button" variant="outline" disabled={resetting}>
                Cancel
              </Button>
            </DialogClose>
            <Button type="button" variant="destructive" disabled={resetting} onClick={reset}>
              {resetting ? "Resetting…" : "Reset to defaults"}
            </Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
    </form>
  );
}

function TypeName({ type }: { type: string }) {
  const label = identifierLabel(type);
  return (
    <span className="inline-flex flex-wrap items-baseline gap-x-2">
      <span className="font-medium text-neutral-900">{label}</span>
      {label !== type && <code className="font-mono text-xs text-neutral-500">{type}</code>}
    </span>
  );
}

/** Built-in types and the listed ones, in priority order (built-ins missing from the list last). */
function allTypes(draft: IdentityDraft): string[] {
  return [...draft.priority, ...BUILT_IN_IDENTIFIER_TYPES.filter((t) => !draft.priority.includes(t))];
}

function PrioritySection({ draft, set, errors, readOnly }: SectionProps) {
  const messages = errorsUnder(errors, "priority");
  return (
    <Section
      id="priority"
      title="Identifier priority"
      description="When one event carries several identifiers, the one highest in this list decides which profile the event belongs to, and the others are added to that profile."
    >
      <OrderedList
        label="Identifier types, highest priority first"
        testId="priority-list"
        readOnly={readOnly}
        items={draft.priority.map((type, i) => ({
          id: type,
          name: type,
          removable: !isBuiltInType(type),
          invalid: has(errors, `priority.${i}`),
          content: (
            <span className="flex flex-wrap items-center gap-2">
              <TypeName type={type} />
              {!isBuiltInType(type) && <Badge variant="secondary">custom</Badge>}
              {draft.sharedTypes.includes(type) && <Badge variant="outline">shared</Badge>}
            </span>
          ),
        }))}
        onMove={(from, to) => set("priority", (p) => move(p, from, to))}
        onRemove={(index) => {
          const type = draft.priority[index];
          set("priority", (p) => p.filter((_, i) => i !== index));
          set("sharedTypes", (s) => s.filter((t) => t !== type));
          set("limits", (l) => Object.fromEntries(Object.entries(l).filter(([t]) => t !== type)));
        }}
      />
      <FieldError messages={messages} />
      {!readOnly && (
        <div className="space-y-1.5">
          <p className="text-sm text-neutral-600">
            Add your own identifier, such as a loyalty card or CRM id, to rank it. Types not in the list rank after all listed ones.
          </p>
          <AddValueInput
            label="New identifier type"
            buttonLabel="Add type"
            placeholder="loyalty_id"
            mono
            check={(value) => checkIdentifierType(value, draft.priority)}
            onAdd={(value) => set("priority", (p) => [...p, value])}
          />
        </div>
      )}
    </Section>
  );
}

function NumberField({
  id,
  label,
  hint,
  value,
  onChange,
  invalid,
  readOnly,
  min,
  max,
  placeholder,
  describedBy,
}: {
  id: string;
  label: string;
  hint?: string;
  value: string;
  onChange: (v: string) => void;
  invalid: boolean;
  readOnly: boolean;
  min: number;
  max: number;
  placeholder?: string;
  describedBy?: string;
}) {
  return (
    <div className="space-y-1.5">
      <Label htmlFor={id} className="block">
        {label}
      </Label>
      {readOnly ? (
        <p id={id} className="text-sm tabular-nums text-neutral-900">
          {value === "" ? (placeholder ?? "—") : Number(value).toLocaleString("en")}
        </p>
      ) : (
        <Input
          id={id}
          type="number"
          inputMode="numeric"
          min={min}
          max={max}
          step={1}
          value={value}
          placeholder={placeholder}
          onChange={(e) => onChange(e.target.value)}
          aria-invalid={invalid}
          aria-describedby={invalid ? describedBy : undefined}
          className="w-40 tabular-nums"
        />
      )}
      {hint && <p className="text-xs text-neutral-500">{hint}</p>}
    </div>
  );
}

function LimitsSection({ draft, set, errors, readOnly }: SectionProps) {
  const id = useId();
  const messages = [...errorsUnder(errors, "limits"), ...errorsUnder(errors, "maxMergesPerProfile"), ...errorsUnder(errors, "maxIdentifiersPerProfile")];
  const errorId = `${id}-errors`;
  return (
    <Section
      id="limits"
      title="Limits per profile"
      description="How many identifiers of each kind one person can have; an identifier that would go over a limit is kept apart and listed under Recent conflicts, so two different people are never merged by mistake."
    >
      <div className="grid gap-x-6 gap-y-3 sm:grid-cols-2 lg:grid-cols-3" data-testid="type-limits">
        {allTypes(draft).map((type) => (
          <NumberField
            key={type}
            id={`${id}-${type}`}
            label={identifierLabel(type)}
            value={draft.limits[type] ?? ""}
            onChange={(v) => set("limits", (l) => ({ ...l, [type]: v }))}
            invalid={has(errors, `limits.${type}`)}
            readOnly={readOnly}
            min={1}
            max={1000}
            placeholder="No limit"
            describedBy={errorId}
          />
        ))}
      </div>
      <div className="grid gap-x-6 gap-y-3 border-t border-neutral-200 pt-4 sm:grid-cols-2">
        <NumberField
          id={`${id}-merges`}
          label="Merge cap"
          hint="Most merges one profile may take part in (0 to 10,000). Stops one bad identifier from pulling many people together."
          value={draft.maxMergesPerProfile}
          onChange={(v) => set("maxMergesPerProfile", v)}
          invalid={has(errors, "maxMergesPerProfile")}
          readOnly={readOnly}
          min={0}
          max={10_000}
          describedBy={errorId}
        />
        <NumberField
          id={`${id}-identifiers`}
          label="Identifier cap"
          hint="Most identifiers of all kinds on one profile (1 to 100,000)."
          value={draft.maxIdentifiersPerProfile}
          onChange={(v) => set("maxIdentifiersPerProfile", v)}
          invalid={has(errors, "maxIdentifiersPerProfile")}
          readOnly={readOnly}
          min={1}
          max={100_000}
          describedBy={errorId}
        />
      </div>
      <FieldError id={errorId} messages={messages} />
    </Section>
  );
}

function SharedSection({ draft, set, errors, readOnly }: SectionProps) {
  const types = [...allTypes(draft), ...draft.sharedTypes.filter((t) => !allTypes(draft).includes(t))];
  return (
    <Section
      id="shared"
      title="Shared identifiers"
      description="Identifiers several people can share, like the id of a family tablet: they are kept on profiles, but never join two profiles on their own."
    >
      {readOnly ? (
        <p className="text-sm text-neutral-900" data-testid="shared-types">
          {draft.sharedTypes.length > 0 ? draft.sharedTypes.map(identifierLabel).join(", ") : "None: every identifier can join profiles."}
        </p>
      ) : (
        <fieldset>
          <legend className="sr-only">Shared identifier types</legend>
          <div className="grid gap-2 sm:grid-cols-2 lg:grid-cols-3" data-testid="shared-types">
            {types.map((type) => (
              <label key={type} className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  className="size-4 rounded border-neutral-300 accent-indigo-600"
                  checked={draft.sharedTypes.includes(type)}
                  onChange={(e) => set("sharedTypes", (s) => (e.target.checked ? [...s, type] : s.filter((t) => t !== type)))}
                />
                <TypeName type={type} />
              </label>
            ))}
          </div>
        </fieldset>
      )}
      <FieldError messages={errorsUnder(errors, "sharedTypes")} />
    </Section>
  );
}

function BlockedSection({ draft, set, errors, readOnly }: SectionProps) {
  const defaults = ["null", "undefined", "unknown", "0", "test"].filter((v) => DEFAULT_BLOCKED_VALUES.includes(v)).map((v) => `“${v}”`);
  return (
    <Section
      id="blocked"
      title="Blocked values"
      description="Placeholder values that apps send when they know nothing real, such as “null”, “test” or a device id of all zeros: they never identify anybody, so they never join profiles."
    >
      <div className="space-y-2">
        <h3 className="text-sm font-medium text-neutral-900">Exact values</h3>
        <p className="text-sm text-neutral-600">
          Compared without regard to case, after cleanup (email addresses lower-cased, phone numbers as +12015550123). The defaults cover what apps send when a field is really empty, like {defaults.join(", ")}.
        </p>
        <ChipList
          label="Blocked values"
          inputLabel="Value to block"
          addLabel="Add value"
          placeholder="e.g. noreply@example.com"
          testId="blocked-values"
          values={draft.blockedValues}
          onChange={(v) => set("blockedValues", v)}
          check={(v) => (v.length > 200 ? "A blocked value can be at most 200 characters long." : null)}
          invalid={(i) => has(errors, `blockedValues.${i}`)}
          readOnly={readOnly}
        />
        <FieldError messages={errorsUnder(errors, "blockedValues")} />
      </div>
      <div className="space-y-2 border-t border-neutral-200 pt-4">
        <h3 className="text-sm font-medium text-neutral-900">Patterns</h3>
        <p className="text-sm text-neutral-600">
          Regular expressions (JavaScript syntax, case-insensitive) for values that follow a shape. The defaults block ids of only zeros and dashes, and runs of eight or more of the same digit.
        </p>
        <ChipList
          label="Blocked patterns"
          inputLabel="Pattern to block"
          addLabel="Add pattern"
          placeholder="^test[-_]"
          testId="blocked-patterns"
          mono
          values={draft.blockedPatterns}
          onChange={(v) => set("blockedPatterns", v)}
          describe={(v) => PATTERN_EXPLANATIONS[v]}
          check={(v) => {
            const parsed = patternSchema.safeParse(v);
            return parsed.success ? null : `Pattern ${quote(v)} ${parsed.error.issues[0]?.message ?? "is not valid"}.`;
          }}
          invalid={(i) => has(errors, `blockedPatterns.${i}`)}
          readOnly={readOnly}
        />
        <FieldError messages={errorsUnder(errors, "blockedPatterns")} />
      </div>
    </Section>
  );
}

function PhoneSection({ draft, set, errors, readOnly }: SectionProps) {
  const id = useId();
  const known = COMMON_REGIONS.some((r) => r.code === draft.phoneRegion);
  const [other, setOther] = useState(!known);
  const messages = errorsUnder(errors, "phoneRegion");
  const name = COMMON_REGIONS.find((r) => r.code === draft.phoneRegion)?.name;
  return (
    <Section
      id="phone"
      title="Phone numbers"
      description="Phone numbers sent without a country code, like (201) 555-0123, are read as numbers of this country, so the same number always matches."
    >
      {readOnly ? (
        <p className="text-sm text-neutral-900" data-testid="phone-region">
          Default region: {name ? `${name} (${draft.phoneRegion})` : draft.phoneRegion}
        </p>
      ) : (
        <div className="flex flex-wrap items-end gap-3">
          <div className="space-y-1.5">
            <Label htmlFor={`${id}-select`} className="block">
              Default region
            </Label>
            <NativeSelect
              id={`${id}-select`}
              className="w-64"
              value={other ? "other" : draft.phoneRegion}
              onChange={(e) => {
                if (e.target.value === "other") {
                  setOther(true);
                } else {
                  setOther(false);
                  set("phoneRegion", e.target.value);
                }
              }}
            >
              {COMMON_REGIONS.map((r) => (
                <option key={r.code} value={r.code}>
                  {r.name} ({r.code})
                </option>
              ))}
              <option value="other">Other country…</option>
            </NativeSelect>
          </div>
          {other && (
            <div className="space-y-1.5">
              <Label htmlFor={`${id}-code`} className="block">
                Country code
              </Label>
              <Input
                id={`${id}-code`}
                className="w-24 font-mono uppercase"
                maxLength={2}
                placeholder="PT"
                value={draft.phoneRegion}
                onChange={(e) => set("phoneRegion", e.target.value.toUpperCase())}
                aria-invalid={messages.length > 0}
                aria-describedby={`${id}-hint`}
              />
            </div>
          )}
          {other && (
            <p id={`${id}-hint`} className="w-full text-xs text-neutral-500">
              Two letters, ISO 3166-1 (e.g. PT for Portugal).
            </p>
          )}
        </div>
      )}
      <FieldError messages={messages} />
    </Section>
  );
}

/** The last cell of an editable row: a button that removes the row. */
function RemoveRowCell({ label, onRemove }: { label: string; onRemove: () => void }) {
  return (
    <td className="py-1">
      <Button type="button" variant="ghost" size="icon" className="size-8" aria-label={label} onClick={onRemove}>
        <X aria-hidden />
      </Button>
    </td>
  );
}

function TraitIdentifiersSection({ draft, set, errors, readOnly }: SectionProps) {
  const id = useId();
  const listId = `${id}-types`;
  const rows = draft.traitIdentifiers;
  const rowInvalid = (i: number, key: string) => has(errors, `traitIdentifiers@${i}`) || has(errors, `traitIdentifiers.${key.trim()}`);
  const keyRefs = useRef(new Map<number, HTMLInputElement | null>());
  return (
    <Section
      id="trait-identifiers"
      title="Traits as identifiers"
      description="Traits your systems send that identify a person just like an email address does, such as a loyalty card number; events that share one belong to the same profile."
    >
      {rows.length === 0 && <p className="text-sm text-neutral-500">No traits are used as identifiers.</p>}
      {rows.length > 0 && (
        <table className="w-full max-w-2xl text-sm" data-testid="trait-identifiers">
          <thead>
            <tr className="text-left text-xs font-medium uppercase tracking-wide text-neutral-500">
              <th className="pb-1 font-medium">Trait key</th>
              <th className="w-6" aria-hidden />
              <th className="pb-1 font-medium">Identifier type</th>
              {!readOnly && <th className="w-10"><span className="sr-only">Remove</span></th>}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              <tr key={row.id}>
                <td className="py-1 pr-2">
                  {readOnly ? (
                    <code className="font-mono">{row.key}</code>
                  ) : (
                    <Input
                      aria-label={`Trait key ${i + 1}`}
                      className="font-mono"
                      placeholder="loyalty_id"
                      value={row.key}
                      ref={(el) => void keyRefs.current.set(row.id, el)}
                      aria-invalid={rowInvalid(i, row.key)}
                      onChange={(e) => {
                        const key = e.target.value;
                        set("traitIdentifiers", (list) =>
                          list.map((r) => (r.id === row.id ? { ...r, key, type: r.type === "" || r.type === typeFromKey(r.key) ? typeFromKey(key) : r.type } : r)),
                        );
                      }}
                    />
                  )}
                </td>
                <td className="text-center text-neutral-400" aria-hidden>
                  →
                </td>
                <td className="py-1 pr-2">
                  {readOnly ? (
                    <TypeName type={row.type} />
                  ) : (
                    <Input
                      aria-label={`Identifier type for trait ${i + 1}`}
                      className="font-mono"
                      placeholder="loyalty_id"
                      list={listId}
                      value={row.type}
                      aria-invalid={rowInvalid(i, row.key)}
                      onChange={(e) => {
                        const type = e.target.value;
                        set("traitIdentifiers", (list) => list.map((r) => (r.id === row.id ? { ...r, type } : r)));
                      }}
                    />
                  )}
                </td>
                {!readOnly && <RemoveRowCell label={`Remove trait ${row.key.trim() || i + 1}`} onRemove={() => set("traitIdentifiers", (list) => list.filter((r) => r.id !== row.id))} />}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <datalist id={listId}>
        {allTypes(draft).map((t) => (
          <option key={t} value={t} />
        ))}
      </datalist>
      <FieldError messages={errorsUnder(errors, "traitIdentifiers")} />
      {!readOnly && (
        <Button
          type="button"
          variant="outline"
          size="sm"
          onClick={() => {
            const rowId = newRowId();
            set("traitIdentifiers", (list) => [...list, { id: rowId, key: "", type: "" }]);
            requestAnimationFrame(() => keyRefs.current.get(rowId)?.focus());
          }}
        >
          <Plus aria-hidden /> Add trait
        </Button>
      )}
    </Section>
  );
}

function SurvivorshipSection({ draft, set, errors, readOnly, sources }: SectionProps & { sources: SourceOption[] }) {
  const id = useId();
  const keyRefs = useRef(new Map<number, HTMLInputElement | null>());
  const rows = draft.traitRules;
  const rowInvalid = (i: number, key: string) => has(errors, `traitRules@${i}`) || has(errors, `traitRules.${key.trim()}`);
  const names = new Map(sources.map((s) => [s.id, s.name]));
  const unranked = sources.filter((s) => !draft.sourcePriority.includes(s.id));
  const [adding, setAdding] = useState("");
  const usesSources = rows.some((r) => r.rule === "source_priority");
  return (
    <Section
      id="survivorship"
      title="Trait survivorship"
      description="When a person’s sources disagree about a trait, such as their plan or city, this decides which value the profile shows; traits not listed keep the most recent value."
    >
      {rows.length === 0 && <p className="text-sm text-neutral-500">Every trait keeps its most recent value.</p>}
      {rows.length > 0 && (
        <table className="w-full max-w-2xl text-sm" data-testid="trait-rules">
          <thead>
            <tr className="text-left text-xs font-medium uppercase tracking-wide text-neutral-500">
              <th className="pb-1 font-medium">Trait key</th>
              <th className="pb-1 font-medium">Value kept</th>
              {!readOnly && <th className="w-10"><span className="sr-only">Remove</span></th>}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              <tr key={row.id}>
                <td className="py-1 pr-2">
                  {readOnly ? (
                    <code className="font-mono">{row.key}</code>
                  ) : (
                    <Input
                      aria-label={`Trait key of rule ${i + 1}`}
                      className="font-mono"
                      placeholder="plan"
                      value={row.key}
                      ref={(el) => void keyRefs.current.set(row.id, el)}
                      aria-invalid={rowInvalid(i, row.key)}
                      onChange={(e) => {
                        const key = e.target.value;
                        set("traitRules", (list) => list.map((r) => (r.id === row.id ? { ...r, key } : r)));
                      }}
                    />
                  )}
                </td>
                <td className="py-1 pr-2">
                  {readOnly ? (
                    RULE_LABELS[row.rule].label
                  ) : (
                    <NativeSelect
                      aria-label={`Rule for trait ${i + 1}`}
                      value={row.rule}
                      aria-invalid={rowInvalid(i, row.key)}
                      onChange={(e) => {
                        const rule = e.target.value as (typeof RULES)[number];
                        set("traitRules", (list) => list.map((r) => (r.id === row.id ? { ...r, rule } : r)));
                      }}
                    >
                      {RULES.map((rule) => (
                        <option key={rule} value={rule}>
                          {RULE_LABELS[rule].label}
                        </option>
                      ))}
                    </NativeSelect>
                  )}
                </td>
                {!readOnly && <RemoveRowCell label={`Remove rule ${row.key.trim() || i + 1}`} onRemove={() => set("traitRules", (list) => list.filter((r) => r.id !== row.id))} />}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ul className="space-y-0.5 text-xs text-neutral-500">
        {RULES.map((rule) => (
          <li key={rule}>
            <span className="font-medium text-neutral-700">{RULE_LABELS[rule].label}:</span> {RULE_LABELS[rule].description}
          </li>
        ))}
      </ul>
      <FieldError messages={errorsUnder(errors, "traitRules")} />
      {!readOnly && (
        <Button
          type="button"
          variant="outline"
          size="sm"
          onClick={() => {
            const rowId = newRowId();
            set("traitRules", (list) => [...list, { id: rowId, key: "", rule: "most_recent" }]);
            requestAnimationFrame(() => keyRefs.current.get(rowId)?.focus());
          }}
        >
          <Plus aria-hidden /> Add rule
        </Button>
      )}

      <div className={cn("space-y-2 border-t border-neutral-200 pt-4")}>
        <h3 className="text-sm font-medium text-neutral-900">Source order</h3>
        <p className="text-sm text-neutral-600">
          For “Most trusted source” rules: a value from a source higher in this list wins; sources not listed come last.
          {usesSources && draft.sourcePriority.length === 0 && " No source is ranked yet, so those traits fall back to the most recent value."}
        </p>
        {draft.sourcePriority.length === 0 ? (
          <p className="text-sm text-neutral-500">No sources ranked.</p>
        ) : (
          <OrderedList
            label="Sources, most trusted first"
            testId="source-priority"
            readOnly={readOnly}
            items={draft.sourcePriority.map((sourceId, i) => ({
              id: sourceId,
              name: names.get(sourceId) ?? sourceId,
              removable: true,
              invalid: has(errors, `sourcePriority.${i}`),
              content: <span className="font-medium text-neutral-900">{names.get(sourceId) ?? "Deleted source"}</span>,
            }))}
            onMove={(from, to) => set("sourcePriority", (p) => move(p, from, to))}
            onRemove={(index) => set("sourcePriority", (p) => p.filter((_, i) => i !== index))}
          />
        )}
        <FieldError messages={errorsUnder(errors, "sourcePriority")} />
        {!readOnly && sources.length === 0 && <p className="text-sm text-neutral-500">This workspace has no sources yet.</p>}
        {!readOnly && unranked.length > 0 && (
          <div className="flex max-w-md items-end gap-2">
            <div className="min-w-0 flex-1 space-y-1.5">
              <Label htmlFor={`${id}-source`} className="sr-only">
                Source to rank
              </Label>
              <NativeSelect id={`${id}-source`} value={adding} onChange={(e) => setAdding(e.target.value)}>
                <option value="">Choose a source…</option>
                {unranked.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </NativeSelect>
            </div>
            <Button
              type="button"
              variant="outline"
              disabled={!adding}
              onClick={() => {
                set("sourcePriority", (p) => [...p, adding]);
                setAdding("");
              }}
            >
              Add source
            </Button>
          </div>
        )}
      </div>
    </Section>
  );
}
