import { notFound, redirect } from "next/navigation";
import { requirePageAccess } from "@/lib/auth/page-access";
import { resolveProfile } from "@/lib/profiles/profile-360";

// Outside the page's loading boundary, so an unknown, foreign or non-uuid id answers 404 and a
// merged-away id redirects (307) to its survivor before anything is streamed.
export default async function ProfileGuard({ children, params }: { children: React.ReactNode; params: Promise<{ workspace: string; profileId: string }> }) {
  const { workspace: slug, profileId } = await params;
  const { workspace } = await requirePageAccess(slug, "profiles.read");
  const found = await resolveProfile({ workspaceId: workspace.id, profileId });
  if (found.status === "not_found") notFound();
  if (found.status === "merged") redirect(`/${workspace.slug}/profiles/${found.survivorId}?merged=${profileId.toLowerCase()}`);
  return children;
}
