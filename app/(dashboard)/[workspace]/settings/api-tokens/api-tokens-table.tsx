"use client";

import { useState, useTransition } from "react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { RelativeTime } from "@/components/sources/relative-time";
import { revokeApiTokenAction } from "./actions";

export interface ApiTokenView {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium" });

export function ApiTokensTable({ slug, tokens }: { slug: string; tokens: ApiTokenView[] }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const active = tokens.filter((t) => !t.revokedAt).length;

  const revoke = (tokenId: string) =>
    startTransition(async () => {
      setError(null);
      const result = await revokeApiTokenAction(slug, { tokenId });
      if (!result.ok) setError(result.error.message);
    });

  return (
    <section aria-labelledby="api-tokens-heading" className="space-y-3">
      <h2 id="api-tokens-heading" className="text-base font-semibold">
        {active} active {active === 1 ? "token" : "tokens"}
        {tokens.length > active && <span className="font-normal text-neutral-500"> · {tokens.length - active} revoked</span>}
      </h2>
      {error && <Alert variant="error">{error}</Alert>}
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>Name</TableHead>
            <TableHead>Token</TableHead>
            <TableHead>Created</TableHead>
            <TableHead>Last used</TableHead>
            <TableHead>Status</TableHead>
            <TableHead><span className="sr-only">Actions</span></TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {tokens.map((t) => (
            <TableRow key={t.id} data-testid={`api-token-${t.id}`}>
              <TableCell className={t.revokedAt ? "font-medium text-neutral-500" : "font-medium"}>{t.name}</TableCell>
              <TableCell><code className="font-mono text-xs text-neutral-700">{t.prefix}…</code></TableCell>
              <TableCell>{dateFormat.format(new Date(t.createdAt))}</TableCell>
              <TableCell>{t.lastUsedAt ? <RelativeTime iso={t.lastUsedAt} /> : <span className="text-neutral-400">never</span>}</TableCell>
              <TableCell>
                {t.revokedAt ? (
                  <Badge variant="secondary" title={`Revoked ${new Date(t.revokedAt).toLocaleString("en")}`}>Revoked</Badge>
                ) : (
                  <Badge variant="success">Active</Badge>
                )}
              </TableCell>
              <TableCell className="text-right">
                {!t.revokedAt && (
                  <Dialog>
                    <DialogTrigger asChild>
                      <Button variant="ghost" size="sm" className="text-red-600 hover:text-red-700" disabled={pending} aria-label={`Revoke ${t.name}`}>Revoke</Button>
                    </DialogTrigger>
                    <DialogContent>
                      <DialogHeader>
                        <DialogTitle>Revoke “{t.name}”?</DialogTitle>
                        <DialogDescription>
                          Requests with this token ({t.prefix}…) are refused within a few seconds. This cannot be undone: the system using it needs a new token.
                        </DialogDescription>
                      </DialogHeader>
                      <DialogFooter>
                        <DialogClose asChild><Button variant="outline">Cancel</Button></DialogClose>
                        <DialogClose asChild>
                          <Button variant="destructive" onClick={() => revoke(t.id)}>Revoke token</Button>
                        </DialogClose>
                      </DialogFooter>
                    </DialogContent>
                  </Dialog>
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </section>
  );
}
