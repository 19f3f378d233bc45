"use client";

// The computed trait form: name, function, event, property and window, with the definition read
// back in words as it is built. Event names and property keys come from the workspace's own data
// (suggestions; anything can be typed). The server validates with the same schema and its field
// errors sit next to their fields; focus moves to the first one.
import { useEffect, useId, useMemo, useRef, useState, useTransition } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { Save } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { Button, buttonVariants } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { FieldError } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/select";
import type { ActionResult } from "@/lib/auth/authorized-action";
import { COMPUTED_TRAIT_FNS, computedTraitDefinitionSchema, describeComputedTrait, FN_LABELS, type ComputedTraitFn } from "@/lib/computed-traits/computed-trait-definition";
import { traitKeyFromName } from "@/lib/profiles/trait-key";

export type SaveComputedTraitAction = (
  slug: string,
  input: { traitId?: string; name: string; definition: unknown },
) => Promise<ActionResult<{ id: string; key: string; valued: number | null; error: string | null }>>;

export interface EventOption {
  name: string;
  properties: { key: string; type: string }[];
}

type WindowType = "ever" | "last_days" | "between";

interface InitialTrait {
  id: string;
  name: string;
  key: string;
  definition: unknown;
}

/** The stored definition as form state (tolerant: a definition that no longer parses still fills what it can). */
function initialState(d: unknown) {
  const def = (typeof d === "object" && d !== null ? d : {}) as Record<string, unknown>;
  const w = (typeof def.window === "object" && def.window !== null ? def.window : {}) as Record<string, unknown>;
  const fn = (COMPUTED_TRAIT_FNS as readonly string[]).includes(String(def.fn)) ? (def.fn as ComputedTraitFn) : "count";
  const windowType: WindowType = w.type === "last_days" || w.type === "between" ? w.type : w.type === "ever" ? "ever" : "last_days";
  return {
    fn,
    event: typeof def.event === "string" ? def.event : "",
    property: typeof def.property === "string" ? def.property : "",
    windowType,
    days: typeof w.days === "number" ? String(w.days) : "30",
    from: typeof w.from === "string" ? w.from : "",
    to: typeof w.to === "string" ? w.to : "",
    where: Array.isArray(def.where) ? def.where : undefined,
  };
}

const FIELD_ORDER = ["name", "fn", "event", "property", "window", "window.days", "window.from", "window.to"];

/** The server's field errors, with the window's own (a missing or unknown type) under "window". */
function byField(fieldErrors: Record<string, string[]> | undefined): Record<string, string[]> {
  const out = { ...(fieldErrors ?? {}) };
  if (out["window.type"]) out.window = [...(out.window ?? []), ...out["window.type"]];
  return out;
}

export function ComputedTraitForm({ slug, events, trait, save }: { slug: string; events: EventOption[]; trait?: InitialTrait; save: SaveComputedTraitAction }) {
  const router = useRouter();
  const uid = useId();
  const id = (field: string) => `${uid}-${field.replace(/\./g, "-")}`;
  const start = useMemo(() => initialState(trait?.definition), [trait?.definition]);
  const [name, setName] = useState(trait?.name ?? "");
  const [fn, setFn] = useState<ComputedTraitFn>(start.fn);
  const [event, setEvent] = useState(start.event);
  const [property, setProperty] = useState(start.property);
  const [windowType, setWindowType] = useState<WindowType>(start.windowType);
  const [days, setDays] = useState(start.days);
  const [from, setFrom] = useState(start.from);
  const [to, setTo] = useState(start.to);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const formRef = useRef<HTMLFormElement>(null);

  const definition = {
    fn,
    event: event.trim(),
    ...(fn === "count" ? {} : { property: property.trim() }),
    window: windowType === "ever" ? { type: "ever" } : windowType === "last_days" ? { type: "last_days", days: days.trim() === "" ? undefined : Number(days) } : { type: "between", from: from.trim(), to: to.trim() },
    ...(start.where ? { where: start.where } : {}),
  };
  const parsed = computedTraitDefinitionSchema.safeParse(definition);
  const properties = events.find((e) => e.name === event.trim())?.properties ?? [];
  const numeric = fn === "sum" || fn === "avg" || fn === "min" || fn === "max";
  // Number properties first for the number functions: the likely choice on top.
  const propertyOptions = numeric ? [...properties].sort((a, b) => Number(b.type === "number") - Number(a.type === "number")) : properties;
  const key = trait?.key ?? traitKeyFromName(name, "ct");

  // After a failed save, focus the first field with a problem.
  useEffect(() => {
    const first = FIELD_ORDER.find((f) => errors[f]?.length);
    if (first) formRef.current?.querySelector<HTMLElement>(`#${CSS.escape(id(first))}`)?.focus();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [errors]);

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setFormError(null);
    startTransition(async () => {
      const res = await save(slug, { traitId: trait?.id, name, definition });
      if (!res.ok) {
        const fields = byField(res.error.fieldErrors);
        setErrors(fields);
        // Problems of no field on this form (e.g. a kept property filter) still need saying.
        if (!FIELD_ORDER.some((f) => fields[f]?.length)) setFormError(res.error.message);
        return;
      }
      setErrors({});
      const notice = res.data.error ? `&failed=1` : "";
      router.push(`/${slug}/segments/computed-traits?saved=${encodeURIComponent(res.data.key)}${notice}`);
      router.refresh();
    });
  };

  const fieldProps = (field: string) => ({
    id: id(field),
    "aria-invalid": errors[field]?.length ? true : undefined,
    "aria-describedby": errors[field]?.length ? `${id(field)}-error` : undefined,
  });
  const error = (field: string) => <FieldError id={`${id(field)}-error`} messages={errors[field]} />;

  return (
    <form ref={formRef} onSubmit={submit} noValidate className="max-w-2xl space-y-6" aria-busy={pending}>
      {formError && <Alert variant="error">{formError}</Alert>}

      <div className="space-y-1.5">
        <Label htmlFor={id("name")}>Name</Label>
        <Input {...fieldProps("name")} value={name} onChange={(e) => setName(e.target.value)} placeholder="Orders in the last 30 days" maxLength={100} autoComplete="off" />
        <p className="text-xs text-neutral-500">
          {trait ? "Key" : "Key, made from the name"}: <code className="font-mono text-neutral-700" data-testid="trait-key">{key || "—"}</code>
          {trait ? " (stays the same when you rename the trait)" : " — how the Profile API and destinations call it"}
        </p>
        {error("name")}
      </div>

      <div className="space-y-1.5">
        <Label htmlFor={id("fn")}>Compute</Label>
        <NativeSelect {...fieldProps("fn")} value={fn} onChange={(e) => setFn(e.target.value as ComputedTraitFn)}>
          {COMPUTED_TRAIT_FNS.map((f) => (
            <option key={f} value={f}>
              {FN_LABELS[f].label} — {FN_LABELS[f].hint.toLowerCase()}
            </option>
          ))}
        </NativeSelect>
        {error("fn")}
      </div>

      <div className="grid gap-6 sm:grid-cols-2">
        <div className="space-y-1.5">
          <Label htmlFor={id("event")}>Event</Label>
          <Input {...fieldProps("event")} list={`${uid}-events`} value={event} onChange={(e) => setEvent(e.target.value)} placeholder="Order Completed" autoComplete="off" maxLength={500} />
          <datalist id={`${uid}-events`}>
            {events.map((e) => (
              <option key={e.name} value={e.name} />
            ))}
          </datalist>
          {events.length === 0 && <p className="text-xs text-neutral-500">No events seen yet: type the event name your apps will send.</p>}
          {error("event")}
        </div>
        {fn !== "count" && (
          <div className="space-y-1.5">
            <Label htmlFor={id("property")}>Property</Label>
            <Input {...fieldProps("property")} list={`${uid}-properties`} value={property} onChange={(e) => setProperty(e.target.value)} placeholder={numeric ? "total" : "plan"} autoComplete="off" maxLength={500} />
            <datalist id={`${uid}-properties`}>
              {propertyOptions.map((p) => (
                <option key={p.key} value={p.key} label={p.type} />
              ))}
            </datalist>
            <p className="text-xs text-neutral-500">{numeric ? "A number property; events without a number there are skipped." : "Events without this property are skipped."}</p>
            {error("property")}
          </div>
        )}
      </div>

      <fieldset className="space-y-2" aria-describedby={errors.window?.length ? `${id("window")}-error` : undefined}>
        <legend className="text-sm font-medium">Time window</legend>
        <div className="flex flex-wrap gap-x-6 gap-y-2">
          {(
            [
              ["last_days", "In the last days"],
              ["between", "Between two dates"],
              ["ever", "Ever"],
            ] as const
          ).map(([value, label]) => (
            <label key={value} className="flex items-center gap-2 text-sm">
              <input type="radio" name={`${uid}-window`} value={value} checked={windowType === value} onChange={() => setWindowType(value)} className="accent-indigo-600" id={value === "last_days" ? id("window") : undefined} />
              {label}
            </label>
          ))}
        </div>
        {error("window")}
        {windowType === "last_days" && (
          <div className="space-y-1.5">
            <div className="flex items-center gap-2 text-sm">
              <Label htmlFor={id("window.days")} className="sr-only">Number of days</Label>
              <span aria-hidden>Last</span>
              <Input {...fieldProps("window.days")} type="number" inputMode="numeric" min={1} max={3650} value={days} onChange={(e) => setDays(e.target.value)} className="w-24" />
              <span aria-hidden>days, today included (days end at midnight UTC)</span>
            </div>
            {error("window.days")}
          </div>
        )}
        {windowType === "between" && (
          <div className="grid gap-4 sm:grid-cols-2">
            <div className="space-y-1.5">
              <Label htmlFor={id("window.from")}>From</Label>
              <Input {...fieldProps("window.from")} value={from} onChange={(e) => setFrom(e.target.value)} placeholder="2026-01-01" autoComplete="off" />
              {error("window.from")}
            </div>
            <div className="space-y-1.5">
              <Label htmlFor={id("window.to")}>To (inclusive)</Label>
              <Input {...fieldProps("window.to")} value={to} onChange={(e) => setTo(e.target.value)} placeholder="2026-03-31" autoComplete="off" />
              {error("window.to")}
            </div>
          </div>
        )}
      </fieldset>

      <div className={cn("rounded-lg border px-4 py-3 text-sm", parsed.success ? "border-indigo-100 bg-indigo-50/60 text-indigo-900" : "border-neutral-200 bg-neutral-50 text-neutral-500")} aria-live="polite" data-testid="trait-preview">
        {parsed.success ? describeComputedTrait(parsed.data) : "Fill in the event, the property and the window to see the definition in words."}
      </div>

      <div className="flex items-center gap-3">
        <Button type="submit" disabled={pending}>
          <Save aria-hidden /> {pending ? "Saving and computing…" : trait ? "Save changes" : "Create computed trait"}
        </Button>
        <Link href={`/${slug}/segments/computed-traits`} className={buttonVariants({ variant: "ghost" })}>
          Cancel
        </Link>
      </div>
    </form>
  );
}
