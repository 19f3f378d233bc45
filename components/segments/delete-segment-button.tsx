"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { Trash2 } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import type { ActionResult } from "@/lib/auth/authorized-action";

export type DeleteSegmentAction = (slug: string, input: { segmentId: string }) => Promise<ActionResult<unknown>>;

export function DeleteSegmentButton({ slug, segmentId, name, memberCount, deleteSegment }: { slug: string; segmentId: string; name: string; memberCount: number; deleteSegment: DeleteSegmentAction }) {
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
            Its {memberCount.toLocaleString("en")} {memberCount === 1 ? "member leaves" : "members leave"} it, and segments that refer to it will be flagged as broken. The profiles themselves stay.
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
                const res = await deleteSegment(slug, { segmentId });
                if (!res.ok) return setError(res.error.message);
                router.push(`/${slug}/segments`);
                router.refresh();
              })
            }
          >
            {pending ? "Deleting…" : "Delete segment"}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
