"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { FieldError } from "@/components/ui/form-message";
import type { ActionResult } from "@/lib/auth/authorized-action";
import { completeSetup } from "./actions";

const FIELDS = [
  { name: "name", label: "Your name", type: "text", autoComplete: "name" },
  { name: "email", label: "Email", type: "email", autoComplete: "email" },
  { name: "password", label: "Password", type: "password", autoComplete: "new-password", hint: "At least 10 characters." },
  { name: "confirmPassword", label: "Confirm password", type: "password", autoComplete: "new-password" },
  { name: "workspaceName", label: "Workspace name", type: "text", autoComplete: "organization", hint: "Usually your company or brand. You can rename it later." },
] as const;

export function SetupForm() {
  const [state, submit, pending] = useActionState<ActionResult<void> | null, FormData>(
    (_prev, form) =>
      completeSetup({
        name: String(form.get("name") ?? ""),
        email: String(form.get("email") ?? ""),
        password: String(form.get("password") ?? ""),
        confirmPassword: String(form.get("confirmPassword") ?? ""),
        workspaceName: String(form.get("workspaceName") ?? ""),
      }),
    null,
  );
  const error = state && !state.ok ? state.error : null;
  return (
    <form action={submit} className="space-y-4" noValidate>
      {error && !error.fieldErrors && <Alert variant="error">{error.message}</Alert>}
      {FIELDS.map((f) => {
        const messages = error?.fieldErrors?.[f.name];
        return (
          <div key={f.name} className="space-y-1.5">
            <Label htmlFor={f.name}>{f.label}</Label>
            <Input id={f.name} name={f.name} type={f.type} autoComplete={f.autoComplete} required aria-invalid={!!messages} aria-describedby={`${f.name}-hint`} />
            {"hint" in f && !messages && <p id={`${f.name}-hint`} className="text-xs text-neutral-500">{f.hint}</p>}
            <FieldError messages={messages} />
          </div>
        );
      })}
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Creating your workspace…" : "Create admin account"}
      </Button>
    </form>
  );
}
