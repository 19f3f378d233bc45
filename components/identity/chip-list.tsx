"use client";

import { useId, useState, type ReactNode } from "react";
import { X } from "lucide-react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { FieldError } from "@/components/ui/form-message";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

/**
 * Values as removable chips plus an input to add one (Enter or the Add button). `check` refuses a
 * value before it is added (a message, or null when fine); `invalid(i)` marks chips the server refused.
 */
export function ChipList({
  label,
  inputLabel,
  addLabel,
  values,
  onChange,
  placeholder,
  check,
  invalid,
  describe,
  readOnly,
  mono,
  testId,
}: {
  label: string;
  inputLabel: string;
  addLabel: string;
  values: string[];
  onChange: (values: string[]) => void;
  placeholder?: string;
  check?: (value: string) => string | null;
  invalid?: (index: number) => boolean;
  describe?: (value: string) => string | undefined;
  readOnly?: boolean;
  mono?: boolean;
  testId?: string;
}) {
  return (
    <div className="space-y-2">
      <ul aria-label={label} className="flex flex-wrap gap-1.5" data-testid={testId}>
        {values.every((v) => v === "") && <li className="text-sm text-neutral-500">None.</li>}
        {values.map((value, i) => {
          // "" (a default) never reaches the list check anyway: empty identifiers are refused first.
          if (value === "") return null;
          const shown = value;
          const note = describe?.(value);
          return (
            <li
              key={`${value}\u0000${i}`}
              className={cn(
                "inline-flex max-w-full items-center gap-1.5 rounded-full border py-0.5 pr-1 pl-2.5 text-sm",
                invalid?.(i) ? "border-red-300 bg-red-50 text-red-800" : "border-neutral-200 bg-neutral-50 text-neutral-800",
                readOnly && "pr-2.5",
              )}
            >
              <span className={cn("truncate", mono && "font-mono text-xs")}>{shown}</span>
              {note && <span className="truncate text-xs text-neutral-500">{note}</span>}
              {!readOnly && (
                <button
                  type="button"
                  aria-label={`Remove ${shown}`}
                  className="rounded-full p-0.5 text-neutral-500 hover:bg-neutral-200 hover:text-neutral-900 focus-visible:outline-hidden focus-visible:ring-2 focus-visible:ring-indigo-500"
                  onClick={() => onChange(values.filter((_, j) => j !== i))}
                >
                  <X aria-hidden className="size-3.5" />
                </button>
              )}
            </li>
          );
        })}
      </ul>
      {!readOnly && (
        <AddValueInput
          label={inputLabel}
          buttonLabel={addLabel}
          placeholder={placeholder}
          mono={mono}
          check={(value) =>
            values.some((v) => v.toLowerCase() === value.toLowerCase()) ? `“${value}” is already in the list.` : (check?.(value) ?? null)
          }
          onAdd={(value) => onChange([...values, value])}
        />
      )}
    </div>
  );
}

/** An input and an Add button (Enter adds too, without submitting the form). */
export function AddValueInput({
  label,
  buttonLabel,
  placeholder,
  mono,
  check,
  onAdd,
  children,
}: {
  label: string;
  buttonLabel: string;
  placeholder?: string;
  mono?: boolean;
  /** A message when the value cannot be added, else null. */
  check: (value: string) => string | null;
  onAdd: (value: string) => void;
  children?: ReactNode;
}) {
  const id = useId();
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);

  function addValue() {
    const value = text.trim();
    const problem = value === "" ? "Enter a value to add." : check(value);
    if (problem) return setError(problem);
    onAdd(value);
    setText("");
    setError(null);
  }

  return (
    <div className="space-y-1">
      <Label htmlFor={id} className="sr-only">
        {label}
      </Label>
      <div className="flex max-w-md gap-2">
        <Input
          id={id}
          value={text}
          placeholder={placeholder}
          className={cn(mono && "font-mono")}
          aria-invalid={!!error}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(e) => {
            setText(e.target.value);
            setError(null);
          }}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              addValue();
            }
          }}
        />
        <Button type="button" variant="outline" onClick={addValue}>
          {buttonLabel}
        </Button>
        {children}
      </div>
      <FieldError id={`${id}-error`} messages={error ? [error] : undefined} />
    </div>
  );
}
