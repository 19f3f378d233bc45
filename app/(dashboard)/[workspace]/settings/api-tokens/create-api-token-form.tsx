"use client";

import { useActionState, useRef } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { FieldError } from "@/components/ui/form-message";
import { CodeBlock } from "@/components/sources/code-block";
import { CopyButton } from "@/components/sources/copy-button";
import type { ActionResult } from "@/lib/auth/authorized-action";
import { createApiTokenAction, type CreatedApiToken } from "./actions";

const EXAMPLE_EMAIL = "jane@example.com";

/** A ready-to-run request for the Profile API with this token. */
function curlExample(options: { token: string; origin: string; slug: string }): string {
  const identifier = `email:${encodeURIComponent(EXAMPLE_EMAIL)}`;
  return `curl -u '${options.token}:' ${options.origin}/v1/spaces/${encodeURIComponent(options.slug)}/collections/users/profiles/${identifier}/traits`;
}

export function CreateApiTokenForm({ slug, origin }: { slug: string; origin: string }) {
  const formRef = useRef<HTMLFormElement>(null);
  const [state, submit, pending] = useActionState<ActionResult<CreatedApiToken> | null, FormData>(async (_prev, form) => {
    const result = await createApiTokenAction(slug, { name: String(form.get("name") ?? "") });
    if (result.ok) formRef.current?.reset();
    return result;
  }, null);
  const error = state && !state.ok ? state.error : null;
  const created = state?.ok ? state.data : null;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Create a token</CardTitle>
        <CardDescription>Name it after the system that will use it, so you know which one to revoke later. Keep tokens on servers: they read personal data.</CardDescription>
      </CardHeader>
      <CardContent className="space-y-4">
        {error && !error.fieldErrors && <Alert variant="error">{error.message}</Alert>}
        <form ref={formRef} action={submit} className="flex flex-col gap-3 sm:flex-row sm:items-start" noValidate>
          <div className="w-full max-w-md space-y-1.5">
            <Label htmlFor="api-token-name">Name</Label>
            <Input
              id="api-token-name"
              name="name"
              required
              maxLength={100}
              placeholder="e.g. Support desk widget"
              aria-invalid={!!error?.fieldErrors?.name}
              aria-describedby={error?.fieldErrors?.name ? "api-token-name-error" : undefined}
            />
            <FieldError id="api-token-name-error" messages={error?.fieldErrors?.name} />
          </div>
          <Button type="submit" disabled={pending} className="sm:mt-6">{pending ? "Creating…" : "Create token"}</Button>
        </form>
        {created && (
          <div className="space-y-4" data-testid="new-api-token">
            <Alert variant="success" title={`Token “${created.name}” created`}>
              Copy it now: it will not be shown again. Tessera keeps only a hash of it.
            </Alert>
            <div className="flex flex-wrap items-center gap-3">
              <code className="min-w-0 break-all rounded-md bg-neutral-100 px-3 py-2 font-mono text-sm" data-testid="api-token-value">{created.token}</code>
              <CopyButton value={created.token} label="Copy token" />
            </div>
            <CodeBlock title="Try it: read a profile's traits" code={curlExample({ token: created.token, origin, slug })} />
          </div>
        )}
      </CardContent>
    </Card>
  );
}
