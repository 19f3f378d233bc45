"use client";

import { useState, useTransition } from "react";
import Link from "next/link";
import { ArrowRight, Fingerprint } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Spinner } from "@/components/ui/spinner";
import { RelativeTime } from "@/components/sources/relative-time";
import type { ActionResult } from "@/lib/auth/authorized-action";
import type { IdentifierGroup, IdentifierView } from "@/lib/profiles/profile-360";

export type UnmergeAction = (
  slug: string,
  input: { profileId: string; identityId: string },
) => Promise<ActionResult<{ splitProfileId: string; undoneMerge: boolean; movedIdentifiers: number }>>;

interface Done {
  label: string;
  value: string;
  splitProfileId: string;
  undoneMerge: boolean;
  movedIdentifiers: number;
}

/** Identifiers by type with where and when each was seen; admins can split one off (unmerge). */
export function IdentifiersCard({
  slug,
  profileId,
  groups,
  total,
  unmerge,
}: {
  slug: string;
  profileId: string;
  groups: IdentifierGroup[];
  total: number;
  /** Present for roles that may unmerge. */
  unmerge?: UnmergeAction;
}) {
  const [target, setTarget] = useState<{ item: IdentifierView; label: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<Done | null>(null);
  const [pending, startTransition] = useTransition();
  const canSplit = unmerge !== undefined && total > 1;

  const confirm = () => {
    if (!target || !unmerge) return;
    const { item, label } = target;
    startTransition(async () => {
      setError(null);
      const result = await unmerge(slug, { profileId, identityId: item.id });
      if (!result.ok) {
        setError(result.error.message);
        return;
      }
      setDone({ label, value: item.value, ...result.data });
      setTarget(null);
    });
  };

  return (
    <Card role="region" aria-labelledby="identifiers-heading">
      <CardHeader className="pb-4">
        <CardTitle id="identifiers-heading" className="flex items-center gap-2">
          <Fingerprint aria-hidden className="size-4 text-neutral-400" /> Identifiers <span className="font-normal text-neutral-500">{total}</span>
        </CardTitle>
        <CardDescription>Everything that identifies this {groups.some((g) => g.type === "group_id") ? "account" : "person"}, where it was first seen and when it was last used.</CardDescription>
      </CardHeader>
      <CardContent className="space-y-4">
        {done && (
          <Alert variant="success" title={`${done.label} ${done.value} was split off`} data-testid="unmerge-result">
            <p>
              {done.undoneMerge
                ? `The merge that brought it was undone: ${done.movedIdentifiers === 1 ? "it is" : `it and ${done.movedIdentifiers - 1} other identifier${done.movedIdentifiers === 2 ? "" : "s"} are`} back on their own profile.`
                : "It now has a profile of its own, with its events."}
            </p>
            <Link href={`/${slug}/profiles/${done.splitProfileId}`} className="mt-1 inline-flex items-center gap-1 font-medium underline underline-offset-2">
              Open the split profile <ArrowRight aria-hidden className="size-4" />
            </Link>
          </Alert>
        )}
        {groups.length === 0 && <p className="text-sm text-neutral-500">No identifiers.</p>}
        {groups.map((group) => (
          <section key={group.type} aria-label={group.label} data-testid={`identifiers-${group.type}`}>
            <h3 className="text-xs font-semibold uppercase tracking-wide text-neutral-500">
              {group.label} <span className="font-normal">{group.items.length}</span>
            </h3>
            <ul className="mt-1.5 space-y-1.5">
              {group.items.map((item) => (
                <li key={item.id} className="flex items-start justify-between gap-2 rounded-md border border-neutral-100 bg-neutral-50/60 px-2.5 py-1.5" data-testid="identifier">
                  <div className="min-w-0">
                    <p className="break-all text-sm font-medium text-neutral-900" data-testid="identifier-value">{item.value}</p>
                    <p className="text-xs text-neutral-500">
                      {item.firstSource ? <>from {item.firstSource.name} · </> : null}
                      {Math.abs(Date.parse(item.lastSeenAt) - Date.parse(item.firstSeenAt)) < 60_000 ? (
                        <>seen <RelativeTime iso={item.lastSeenAt} /></>
                      ) : (
                        <>first <RelativeTime iso={item.firstSeenAt} /> · last <RelativeTime iso={item.lastSeenAt} /></>
                      )}
                      {item.lastSource && item.firstSource && item.lastSource.id !== item.firstSource.id ? <> via {item.lastSource.name}</> : null}
                    </p>
                  </div>
                  {canSplit && (
                    <Button
                      variant="ghost"
                      size="sm"
                      className="h-7 shrink-0 px-2 text-neutral-600"
                      aria-label={`Unmerge ${group.label} ${item.value}`}
                      onClick={() => {
                        setError(null);
                        setTarget({ item, label: group.label });
                      }}
                    >
                      Unmerge…
                    </Button>
                  )}
                </li>
              ))}
            </ul>
          </section>
        ))}
      </CardContent>
      <Dialog open={target !== null} onOpenChange={(open) => !open && !pending && setTarget(null)}>
        <DialogContent>
          <DialogHeader>
            <DialogTitle>
              Unmerge {target?.label} {target?.item.value}?
            </DialogTitle>
            <DialogDescription>This splits the identifier off this profile.</DialogDescription>
          </DialogHeader>
          <ul className="list-disc space-y-1.5 pl-5 text-sm text-neutral-700">
            <li>If it arrived through a merge, that merge is undone: the profile it came from comes back with the identifiers it brought, their events and traits.</li>
            <li>Otherwise it starts a new profile of its own, with the events sent with it.</li>
            <li>Counts, traits and account links of both profiles are rebuilt from their events, and Tessera will not merge the two again on its own.</li>
          </ul>
          {error && <Alert variant="error">{error}</Alert>}
          <DialogFooter>
            <DialogClose asChild>
              <Button variant="outline" disabled={pending}>Cancel</Button>
            </DialogClose>
            <Button variant="destructive" onClick={confirm} disabled={pending}>
              {pending ? <><Spinner label="Unmerging…" /> Unmerging…</> : "Unmerge"}
            </Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
    </Card>
  );
}
