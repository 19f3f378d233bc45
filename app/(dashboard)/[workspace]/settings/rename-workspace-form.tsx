"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { FieldError } from "@/components/ui/form-message";
import type { ActionResult } from "@/lib/auth/authorized-action";
import { renameWorkspaceAction } from "./actions";

export function RenameWorkspaceForm({ slug, name }: { slug: string; name: string }) {
  const [state, submit, pending] = useActionState<ActionResult<{ name: string }> | null, FormData>(
    (_prev, form) => renameWorkspaceAction(slug, { name: String(form.get("name") ?? "") }),
    null,
  );
  const error = state && !state.ok ? state.error : null;
  return (
    <form action={submit} className="max-w-md space-y-3" noValidate>
      {error && !error.fieldErrors && <Alert variant="error">{error.message}</Alert>}
      {state?.ok && <Alert variant="success">Workspace renamed to {state.data.name}.</Alert>}
      <div className="space-y-1.5">
        <Label htmlFor="workspace-name">Workspace name</Label>
        <Input id="workspace-name" name="name" defaultValue={name} required aria-invalid={!!error?.fieldErrors?.name} />
        <FieldError messages={error?.fieldErrors?.name} />
      </div>
      <Button type="submit" disabled={pending}>{pending ? "Saving…" : "Save name"}</Button>
    </form>
  );
}
