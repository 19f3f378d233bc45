"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { Trash2 } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import type { ActionResult } from "@/lib/auth/authorized-action";

export type DeleteComputedTraitAction = (slug: string, input: { traitId: string }) => Promise<ActionResult<unknown>>;

export function DeleteComputedTraitButton({ slug, traitId, name, profiles, deleteTrait }: { slug: string; traitId: string; name: string; profiles: number; deleteTrait: DeleteComputedTraitAction }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  return (
    <Dialog open={open} onOpenChange={(o) => { setOpen(o); setError(null); }}>
      <DialogTrigger asChild>
        <Button variant="outline" className="text-red-700 hover:bg-red-50">
          <Trash2 aria-hidden /> Delete
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Delete “{name}”?</DialogTitle>
          <DialogDescription>
            Its values on {profiles.toLocaleString("en")} {profiles === 1 ? "profile go" : "profiles go"} too, and the Profile API stops returning it. Segments that use it must be changed first.
          </DialogDescription>
        </DialogHeader>
        {error && <Alert variant="error">{error}</Alert>}
        <DialogFooter>
          <Button variant="ghost" onClick={() => setOpen(false)}>Cancel</Button>
          <Button
            variant="destructive"
            disabled={pending}
            onClick={() =>
              start(async () => {
                const res = await deleteTrait(slug, { traitId });
                if (!res.ok) return setError(res.error.message);
                router.push(`/${slug}/segments/computed-traits`);
                router.refresh();
              })
            }
          >
            {pending ? "Deleting…" : "Delete computed trait"}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
