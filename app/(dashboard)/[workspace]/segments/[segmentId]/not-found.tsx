import Link from "next/link";
import { SearchX } from "lucide-react";
import { buttonVariants } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

export default function SegmentNotFound() {
  return (
    <EmptyState
      icon={SearchX}
      title="Segment not found"
      description="It may have been deleted, or the link is from another workspace."
      action={<Link href=".." className={buttonVariants({ variant: "outline" })}>Back to segments</Link>}
    />
  );
}
