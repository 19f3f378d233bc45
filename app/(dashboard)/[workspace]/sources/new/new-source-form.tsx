"use client";

import { useActionState, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { FieldError } from "@/components/ui/form-message";
import { cn } from "@/components/ui/cn";
import type { ActionResult } from "@/lib/auth/authorized-action";
import { SOURCE_KIND_LABELS, SOURCE_KINDS, type SourceKind } from "@/lib/sources/source-input";
import { createSourceAction } from "../actions";

export function NewSourceForm({ slug }: { slug: string }) {
  const [kind, setKind] = useState<SourceKind>("website");
  const [state, submit, pending] = useActionState<ActionResult<void> | null, FormData>(
    (_prev, form) => createSourceAction(slug, { name: String(form.get("name") ?? ""), kind: String(form.get("kind") ?? "") as SourceKind }),
    null,
  );
  const error = state && !state.ok ? state.error : null;
  return (
    <form action={submit} className="max-w-2xl space-y-6" noValidate>
      {error && !error.fieldErrors && <Alert variant="error">{error.message}</Alert>}
      <fieldset>
        <legend className="text-sm font-medium">Kind</legend>
        <div className="mt-2 grid gap-3 sm:grid-cols-2">
          {SOURCE_KINDS.map((k) => (
            <label key={k} className={cn("flex cursor-pointer gap-3 rounded-lg border bg-white p-4 text-sm has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-indigo-600", kind === k ? "border-indigo-600 ring-1 ring-indigo-600" : "border-neutral-200 hover:border-neutral-300")}>
              <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} className="mt-0.5 accent-indigo-600" />
              <span>
                <span className="block font-medium">{SOURCE_KIND_LABELS[k].label}</span>
                <span className="text-neutral-600">{SOURCE_KIND_LABELS[k].description}</span>
              </span>
            </label>
          ))}
        </div>
        <FieldError messages={error?.fieldErrors?.kind} />
      </fieldset>
      <div className="space-y-1.5">
        <Label htmlFor="source-name">Name</Label>
        <Input id="source-name" name="name" required placeholder={kind === "website" ? "Online shop" : kind === "server" ? "Checkout service" : kind === "mobile" ? "iOS app" : "CRM export"} aria-invalid={!!error?.fieldErrors?.name} />
        <FieldError messages={error?.fieldErrors?.name} />
      </div>
      <Button type="submit" disabled={pending}>{pending ? "Creating…" : "Create source"}</Button>
    </form>
  );
}
