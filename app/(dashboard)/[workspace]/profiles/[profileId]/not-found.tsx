"use client";

import Link from "next/link";
import { useParams } from "next/navigation";
import { UserX } from "lucide-react";
import { buttonVariants } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

// Shown inside the workspace for an unknown profile id (or one of another workspace).
export default function ProfileNotFound() {
  const { workspace } = useParams<{ workspace: string }>();
  return (
    <EmptyState
      icon={UserX}
      title="Profile not found"
      description="There is no profile with this id in this workspace. The link may be mistyped, or the profile belongs to another workspace."
      action={<Link href={`/${workspace}/profiles`} className={buttonVariants({ variant: "outline" })}>Back to profiles</Link>}
      className="mt-6"
    />
  );
}
