"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { FieldError } from "@/components/ui/form-message";
import type { ActionResult } from "@/lib/auth/authorized-action";
import { signInWithPassword } from "./actions";

export function LoginForm({ callbackUrl, notice }: { callbackUrl?: string; notice?: string }) {
  const [state, submit, pending] = useActionState<ActionResult<void> | null, FormData>(
    (_prev, form) =>
      signInWithPassword({ email: String(form.get("email") ?? ""), password: String(form.get("password") ?? ""), callbackUrl }),
    null,
  );
  const error = state && !state.ok ? state.error : null;
  return (
    <form action={submit} className="space-y-4" noValidate>
      {notice && !error && <Alert variant="info">{notice}</Alert>}
      {error && <Alert variant="error">{error.message}</Alert>}
      <div className="space-y-1.5">
        <Label htmlFor="email">Email</Label>
        <Input id="email" name="email" type="email" autoComplete="username" required autoFocus aria-invalid={!!error?.fieldErrors?.email} />
        <FieldError messages={error?.fieldErrors?.email} />
      </div>
      <div className="space-y-1.5">
        <Label htmlFor="password">Password</Label>
        <Input id="password" name="password" type="password" autoComplete="current-password" required aria-invalid={!!error?.fieldErrors?.password} />
        <FieldError messages={error?.fieldErrors?.password} />
      </div>
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
