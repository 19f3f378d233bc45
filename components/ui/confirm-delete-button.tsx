"use client";

// "Delete" with a confirmation dialog that says what deleting does; runs a server action and, when
// it succeeds, goes back to the list. The action's error (e.g. "segments use this trait") shows in
// the dialog.
import { useState, useTransition, type ReactNode } from "react";
import { useRouter } from "next/navigation";
import { Trash2 } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import type { ActionResult } from "@/lib/auth/authorized-action";

export function ConfirmDeleteButton<I>(props: {
  slug: string;
  /** What is deleted, for the title. */
  name: string;
  /** What deleting it does. */
  consequence: ReactNode;
  confirmLabel: string;
  action: (slug: string, input: I) => Promise<ActionResult<unknown>>;
  input: I;
  /** Where to go afterwards. */
  redirectTo: string;
}) {
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
          <DialogTitle>Delete “{props.name}”?</DialogTitle>
          <DialogDescription>{props.consequence}</DialogDescription>
        </DialogHeader>
        {error && <Alert variant="error">{error}</Alert>}
        <DialogFooter>
          <Button variant="ghost" onClick={() => setOpen(false)}>Cancel</Button>
          <Button
            variant="destructive"
            disabled={pending}
            onClick={() =>
              start(async () => {
                const res = await props.action(props.slug, props.input);
                if (!res.ok) return setError(res.error.message);
                router.push(props.redirectTo);
                router.refresh();
              })
            }
          >
            {pending ? "Deleting…" : props.confirmLabel}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
