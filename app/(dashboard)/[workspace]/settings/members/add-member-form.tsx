"use client";

import { useActionState, useRef } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/select";
import { FieldError } from "@/components/ui/form-message";
import type { ActionResult } from "@/lib/auth/authorized-action";
import type { AddMemberResult } from "@/lib/members/add-member";
import { ROLE_LABELS, ROLES } from "@/lib/auth/permissions";
import { addMemberAction } from "./actions";

export function AddMemberForm({ slug }: { slug: string }) {
  const formRef = useRef<HTMLFormElement>(null);
  const [state, submit, pending] = useActionState<ActionResult<AddMemberResult> | null, FormData>(async (_prev, form) => {
    const result = await addMemberAction(slug, {
      email: String(form.get("email") ?? ""),
      role: String(form.get("role") ?? "") as (typeof ROLES)[number],
      name: String(form.get("name") ?? "") || undefined,
    });
    if (result.ok) formRef.current?.reset();
    return result;
  }, null);
  const error = state && !state.ok ? state.error : null;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Add a member</CardTitle>
        <CardDescription>Someone with an account joins right away. For a new email, Tessera creates the account and shows a one-time password for you to pass on.</CardDescription>
      </CardHeader>
      <CardContent className="space-y-4">
        {error && !error.fieldErrors && <Alert variant="error">{error.message}</Alert>}
        {state?.ok && (
          <Alert variant="success" title={`${state.data.email} added`}>
            {state.data.temporaryPassword ? (
              <>
                New account created. Temporary password (shown once):{" "}
                <code data-testid="temporary-password" className="rounded bg-white px-1.5 py-0.5 font-mono text-sm">{state.data.temporaryPassword}</code>
              </>
            ) : (
              "They can sign in with their existing password."
            )}
          </Alert>
        )}
        <form ref={formRef} action={submit} className="grid gap-3 md:grid-cols-[2fr_1.5fr_1fr_auto] md:items-start" noValidate>
          <div className="space-y-1.5">
            <Label htmlFor="member-email">Email</Label>
            <Input id="member-email" name="email" type="email" required placeholder="name@company.com" aria-invalid={!!error?.fieldErrors?.email} />
            <FieldError messages={error?.fieldErrors?.email} />
          </div>
          <div className="space-y-1.5">
            <Label htmlFor="member-name">Name <span className="font-normal text-neutral-500">(new accounts)</span></Label>
            <Input id="member-name" name="name" placeholder="Optional" />
          </div>
          <div className="space-y-1.5">
            <Label htmlFor="member-role">Role</Label>
            <NativeSelect id="member-role" name="role" defaultValue="marketer" className="w-full">
              {ROLES.map((r) => <option key={r} value={r}>{ROLE_LABELS[r].label}</option>)}
            </NativeSelect>
            <FieldError messages={error?.fieldErrors?.role} />
          </div>
          <Button type="submit" disabled={pending} className="md:mt-6">{pending ? "Adding…" : "Add member"}</Button>
        </form>
        <ul className="grid gap-1 text-xs text-neutral-500 sm:grid-cols-3">
          {ROLES.map((r) => <li key={r}><span className="font-medium text-neutral-700">{ROLE_LABELS[r].label}:</span> {ROLE_LABELS[r].description}</li>)}
        </ul>
      </CardContent>
    </Card>
  );
}
