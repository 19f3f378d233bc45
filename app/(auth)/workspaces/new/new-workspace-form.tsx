"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { FieldError } from "@/components/ui/form-message";
import type { ActionResult } from "@/lib/auth/authorized-action";
import { createWorkspaceAction } from "./actions";

export function NewWorkspaceForm() {
  const [state, submit, pending] = useActionState<ActionResult<void> | null, FormData>(
    (_prev, form) => createWorkspaceAction({ name: String(form.get("name") ?? "") }),
    null,
  );
  const error = state && !state.ok ? state.error : null;
  return (
    <form action={submit} className="space-y-4" noValidate>
      {error && !error.fieldErrors && <Alert variant="error">{error.message}</Alert>}
      <div className="space-y-1.5">
        <Label htmlFor="name">Workspace name</Label>
        <Input id="name" name="name" required autoFocus placeholder="Acme Europe" aria-invalid={!!error?.fieldErrors?.name} />
        <FieldError messages={error?.fieldErrors?.name} />
      </div>
      <Button type="submit" className="w-full" disabled={pending}>{pending ? "Creating…" : "Create workspace"}</Button>
    </form>
  );
}
