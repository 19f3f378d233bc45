"use client";

// Type, operator and value(s) of one comparison (a trait, an event property, a computed trait or an
// aggregate). The operator list follows the value type (OPERATORS); the value boxes follow the
// operator (none for "is set", two for "between", a list for "is one of", days for "in the last").
import { useId } from "react";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/select";
import { FieldProblems, invalidProps } from "@/components/segments/field-problems";
import { useProblems } from "@/components/segments/builder-context";
import { emptyComparison, fieldId, fieldPath, type DraftComparison } from "@/components/segments/rule-draft";
import { OPERATORS, VALUE_TYPES, type ValueType } from "@/lib/segments/segment-rule";

export const TYPE_LABELS: Record<ValueType, string> = { string: "text", number: "number", boolean: "yes / no", date: "date" };

export const OPERATOR_LABELS: Record<string, string> = {
  equals: "is",
  not_equals: "is not",
  contains: "contains",
  starts_with: "starts with",
  in: "is one of",
  not_in: "is none of",
  exists: "is set",
  not_exists: "is not set",
  eq: "=",
  neq: "≠",
  lt: "<",
  lte: "≤",
  gt: ">",
  gte: "≥",
  between: "is between",
  is_true: "is true",
  is_false: "is false",
  before: "is before",
  after: "is after",
  within_last_days: "is in the last … days",
  within_next_days: "is in the next … days",
};

const NO_VALUE = ["exists", "not_exists", "is_true", "is_false"];

export function ComparisonFields({
  value,
  onChange,
  path,
  label,
  examples,
  numberOnly = false,
}: {
  value: DraftComparison;
  onChange: (next: DraftComparison) => void;
  /** Rule path of the object holding the comparison. */
  path: string;
  /** What is compared, for the fields' accessible names ("Trait", "Property filter 1"). */
  label: string;
  examples?: string[];
  /** Aggregates compare numbers only. */
  numberOnly?: boolean;
}) {
  const listId = useId();
  const typeProblems = useProblems(fieldPath(path, "type"));
  const opProblems = useProblems(fieldPath(path, "op"));
  const valueProblems = useProblems(fieldPath(path, "value"));
  const toProblems = useProblems(fieldPath(path, "to"));
  const valuesProblems = useProblems(fieldPath(path, "values"));
  const daysProblems = useProblems(fieldPath(path, "days"));
  const c = value;
  const set = (patch: Partial<DraftComparison>) => onChange({ ...c, ...patch });
  const ops: readonly string[] = OPERATORS[c.type];
  const inputType = c.type === "date" ? "date" : "text";
  const numeric = c.type === "number" ? { inputMode: "decimal" as const } : {};

  const box = (field: "value" | "to", aria: string, problems?: string[], width = "w-40") => (
    <div>
      <Input
        id={fieldId(fieldPath(path, field))}
        type={inputType}
        aria-label={aria}
        value={c[field]}
        onChange={(e) => set({ [field]: e.target.value })}
        list={field === "value" && c.type === "string" && examples?.length ? listId : undefined}
        placeholder={c.type === "number" ? "0" : c.type === "string" ? examples?.[0] ?? "value" : undefined}
        className={width}
        autoComplete="off"
        {...numeric}
        {...invalidProps(fieldPath(path, field), problems)}
      />
      <FieldProblems path={fieldPath(path, field)} messages={problems} />
    </div>
  );

  return (
    <div className="flex flex-wrap items-start gap-2">
      <div>
        <NativeSelect
          id={fieldId(fieldPath(path, "op"))}
          aria-label={`${label} operator`}
          value={c.op}
          onChange={(e) => set({ op: e.target.value })}
          className="w-48"
          {...invalidProps(fieldPath(path, "op"), opProblems)}
        >
          {ops.map((op) => (
            <option key={op} value={op}>
              {OPERATOR_LABELS[op] ?? op}
            </option>
          ))}
        </NativeSelect>
        <FieldProblems path={fieldPath(path, "op")} messages={opProblems} />
      </div>
      {NO_VALUE.includes(c.op) ? null : c.op === "in" || c.op === "not_in" ? (
        <div>
          <Input
            id={fieldId(fieldPath(path, "values"))}
            aria-label={`${label} values`}
            value={c.values}
            onChange={(e) => set({ values: e.target.value })}
            placeholder={examples?.length ? examples.slice(0, 3).join(", ") : "DE, AT, CH"}
            className="w-64"
            autoComplete="off"
            {...invalidProps(fieldPath(path, "values"), valuesProblems)}
          />
          <p className="mt-1 text-xs text-neutral-500">Separate values with commas.</p>
          <FieldProblems path={fieldPath(path, "values")} messages={valuesProblems} />
        </div>
      ) : c.op === "within_last_days" || c.op === "within_next_days" ? (
        <div className="flex items-start gap-2">
          <div>
            <Input
              id={fieldId(fieldPath(path, "days"))}
              aria-label={`${label} days`}
              inputMode="numeric"
              value={c.days}
              onChange={(e) => set({ days: e.target.value })}
              className="w-20"
              placeholder="7"
              {...invalidProps(fieldPath(path, "days"), daysProblems)}
            />
            <FieldProblems path={fieldPath(path, "days")} messages={daysProblems} />
          </div>
          <span className="pt-2 text-sm text-neutral-600">days</span>
        </div>
      ) : c.op === "between" ? (
        <div className="flex items-start gap-2">
          {box("value", `${label} from`, valueProblems, "w-36")}
          <span className="pt-2 text-sm text-neutral-600">and</span>
          {box("to", `${label} to`, toProblems, "w-36")}
        </div>
      ) : (
        box("value", `${label} value`, valueProblems, c.type === "string" ? "w-48" : "w-36")
      )}
      {!numberOnly && (
        <div>
          <NativeSelect
            id={fieldId(fieldPath(path, "type"))}
            aria-label={`${label} compared as`}
            value={c.type}
            onChange={(e) => {
              const type = e.target.value as ValueType;
              // Keep what was typed; the operator must exist for the new type.
              onChange({ ...emptyComparison(type), value: c.value, to: c.to, values: c.values, days: c.days, op: (OPERATORS[type] as readonly string[]).includes(c.op) ? c.op : OPERATORS[type][0] });
            }}
            className="w-28 text-xs text-neutral-600"
            title="How the value is compared"
            {...invalidProps(fieldPath(path, "type"), typeProblems)}
          >
            {VALUE_TYPES.map((t) => (
              <option key={t} value={t}>
                as {TYPE_LABELS[t]}
              </option>
            ))}
          </NativeSelect>
          <FieldProblems path={fieldPath(path, "type")} messages={typeProblems} />
        </div>
      )}
      {c.type === "string" && examples?.length ? (
        <datalist id={listId}>
          {examples.map((e) => (
            <option key={e} value={e} />
          ))}
        </datalist>
      ) : null}
    </div>
  );
}
