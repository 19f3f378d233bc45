"use client";

import { useActionState, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import { FieldError } from "@/components/ui/form-message";
import type { ActionResult } from "@/lib/auth/authorized-action";
import { rotateWriteKeyAction, updateSourceAction } from "../../actions";

const GRACE = [
  { hours: 0, label: "Stop the old key now" },
  { hours: 1, label: "1 hour" },
  { hours: 24, label: "24 hours" },
  { hours: 24 * 7, label: "7 days" },
  { hours: 24 * 30, label: "30 days" },
];

export function RotateKeyForm({ slug, sourceId, rotated }: { slug: string; sourceId: string; rotated: { key: string; expiresAt: string | null }[] }) {
  const [state, submit, pending] = useActionState<ActionResult<{ key: string }> | null, FormData>(
    (_prev, form) => rotateWriteKeyAction(slug, { sourceId, graceHours: Number(form.get("graceHours")) }),
    null,
  );
  return (
    <Card>
      <CardHeader>
        <CardTitle as="h3">Rotate the write key</CardTitle>
        <CardDescription>Issues a new key. The current key keeps working for the grace period you choose, so you can redeploy your apps, then it answers 401.</CardDescription>
      </CardHeader>
      <CardContent className="space-y-4">
        {state && !state.ok && <Alert variant="error">{state.error.message}</Alert>}
        {state?.ok && <Alert variant="success" title="New key issued">Update your apps to <code className="font-mono" data-testid="new-write-key">{state.data.key}</code> (also on the Setup tab).</Alert>}
        <form action={submit} className="flex flex-wrap items-end gap-3">
          <div className="space-y-1.5">
            <Label htmlFor="grace">Old key keeps working for</Label>
            <NativeSelect id="grace" name="graceHours" defaultValue="24" className="w-56">
              {GRACE.map((g) => <option key={g.hours} value={g.hours}>{g.label}</option>)}
            </NativeSelect>
          </div>
          <Button type="submit" variant="outline" disabled={pending}>{pending ? "Rotating…" : "Rotate key"}</Button>
        </form>
        {rotated.length > 0 && (
          <div>
            <h4 className="text-sm font-medium">Older keys still accepted</h4>
            <ul className="mt-1 space-y-1 text-sm text-neutral-600" data-testid="rotated-keys">
              {rotated.map((k) => (
                <li key={k.key}><code className="font-mono">{k.key.slice(0, 6)}…{k.key.slice(-4)}</code> until {k.expiresAt ? `${k.expiresAt.slice(0, 16).replace("T", " ")} UTC` : "—"}</li>
              ))}
            </ul>
          </div>
        )}
      </CardContent>
    </Card>
  );
}

export function OriginsForm({ slug, sourceId, origins }: { slug: string; sourceId: string; origins: string[] }) {
  const [submitted, setSubmitted] = useState<string[]>([]);
  const [state, submit, pending] = useActionState<ActionResult<void> | null, FormData>((_prev, form) => {
    const list = String(form.get("origins") ?? "").split(/[\n,]+/).map((o) => o.trim()).filter(Boolean);
    setSubmitted(list);
    return updateSourceAction(slug, { sourceId, allowedOrigins: list });
  }, null);
  // Field errors come keyed allowedOrigins.<index>: name the entry each one is about.
  const messages =
    state && !state.ok
      ? Object.entries(state.error.fieldErrors ?? { _: [state.error.message] }).map(([key, m]) => {
          const index = Number(key.split(".")[1]);
          return Number.isInteger(index) && submitted[index] !== undefined ? `“${submitted[index]}”: ${m[0]}` : m[0];
        })
      : undefined;
  return (
    <Card>
      <CardHeader>
        <CardTitle as="h3">Allowed browser origins</CardTitle>
        <CardDescription>Browsers on other sites cannot send with this key. Leave empty to accept any origin. One per line, like https://www.example.com.</CardDescription>
      </CardHeader>
      <CardContent>
        <form action={submit} className="max-w-xl space-y-3" noValidate>
          {state?.ok && <Alert variant="success">Origins saved.</Alert>}
          <Label htmlFor="origins" className="sr-only">Allowed origins</Label>
          <Textarea id="origins" name="origins" rows={4} defaultValue={origins.join("\n")} placeholder="https://www.example.com" aria-invalid={!!messages} className="font-mono" />
          <FieldError messages={messages} />
          <Button type="submit" disabled={pending}>{pending ? "Saving…" : "Save origins"}</Button>
        </form>
      </CardContent>
    </Card>
  );
}

export function EnableForm({ slug, sourceId, enabled }: { slug: string; sourceId: string; enabled: boolean }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  return (
    <Card>
      <CardHeader>
        <CardTitle as="h3">{enabled ? "Disable this source" : "Enable this source"}</CardTitle>
        <CardDescription>
          {enabled ? "A disabled source answers 401 to every message (SDKs drop them). Data already stored stays." : "The source is disabled and refuses every message."}
        </CardDescription>
      </CardHeader>
      <CardContent>
        {error && <Alert variant="error" className="mb-3">{error}</Alert>}
        <Button
          variant={enabled ? "destructive" : "default"}
          disabled={pending}
          onClick={async () => {
            setPending(true);
            const r = await updateSourceAction(slug, { sourceId, enabled: !enabled });
            setPending(false);
            setError(r.ok ? null : r.error.message);
          }}
        >
          {enabled ? "Disable source" : "Enable source"}
        </Button>
      </CardContent>
    </Card>
  );
}
