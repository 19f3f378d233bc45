import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { ArrowLeft } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { ComputedTraitsCard } from "@/components/profile-360/computed-traits-card";
import { IdentifiersCard } from "@/components/profile-360/identifiers-card";
import { LinkedProfilesCard } from "@/components/profile-360/linked-profiles-card";
import { MergeHistory } from "@/components/profile-360/merge-history";
import { ProfileHeader } from "@/components/profile-360/profile-header";
import { ProfileTimeline } from "@/components/profile-360/profile-timeline";
import { TraitsCard } from "@/components/profile-360/traits-card";
import { requirePageAccess } from "@/lib/auth/page-access";
import { can } from "@/lib/auth/permissions";
import { isUuid } from "@/lib/db/uuid";
import { getProfile360, resolveProfile } from "@/lib/profiles/profile-360";
import { parseTimelineFilters, profileTimeline, timelineFacets } from "@/lib/profiles/profile-timeline";
import { unmergeIdentifierAction } from "../actions";

type Params = Promise<{ workspace: string; profileId: string }>;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** Access and the 360 data, shared by the metadata and the page within one request. */
const load = cache(async (slug: string, profileId: string) => {
  const access = await requirePageAccess(slug, "profiles.read");
  const canSeePii = can(access.role, "profiles.read_pii");
  const profile = await getProfile360({ workspaceId: access.workspace.id, profileId, canSeePii });
  return { ...access, canSeePii, profile };
});

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { workspace, profileId } = await params;
  const { profile } = await load(workspace, profileId);
  return { title: profile ? `${profile.title} · Profile` : "Profile" };
}

const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export default async function ProfilePage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const { workspace: slug, profileId } = await params;
  const query = await searchParams;
  const { workspace, role, canSeePii, profile } = await load(slug, profileId);
  // Merged or gone since the layout looked (a concurrent merge): the next visit redirects.
  if (!profile) notFound();

  // The filter menus pick one value each; the route also takes several.
  const filters = parseTimelineFilters((name) => list(query[name]).slice(0, 1));
  // ?merged=<id>: the redirect from a merged-away id; said only while that id still leads here (not after an unmerge).
  const mergedFrom = list(query.merged)[0];
  const [timeline, facets, from] = await Promise.all([
    profileTimeline({ workspaceId: workspace.id, profileId: profile.id, kind: profile.kind, canSeePii, filters }),
    timelineFacets({ workspaceId: workspace.id, profileId: profile.id, kind: profile.kind }),
    mergedFrom && isUuid(mergedFrom) && mergedFrom.toLowerCase() !== profile.id ? resolveProfile({ workspaceId: workspace.id, profileId: mergedFrom }) : null,
  ]);
  const base = `/${workspace.slug}`;

  return (
    <>
      <Link href={`${base}/profiles`} className="inline-flex items-center gap-1 text-sm text-neutral-600 hover:text-neutral-900">
        <ArrowLeft aria-hidden className="size-4" /> Profiles
      </Link>
      {from?.status === "merged" && from.survivorId === profile.id && (
        <Alert variant="info" className="mt-3" data-testid="merged-notice">
          The profile you opened ({mergedFrom?.slice(0, 8)}…) was merged into this one. Its identifiers and events are here now.
        </Alert>
      )}
      <div className="mt-3">
        <ProfileHeader profile={profile} />
      </div>
      <div className="mt-6 grid gap-6 lg:grid-cols-5">
        <div className="min-w-0 space-y-6 lg:col-span-2">
          <IdentifiersCard
            slug={workspace.slug}
            profileId={profile.id}
            groups={profile.identifiers}
            total={profile.identifierCount}
            unmerge={can(role, "identity.write") && profile.kind === "user" ? unmergeIdentifierAction : undefined}
          />
          {/* Links first when there are some; an empty Accounts card goes last, out of the way. */}
          {profile.links.total > 0 && <LinkedProfilesCard slug={workspace.slug} kind={profile.kind} links={profile.links} />}
          <TraitsCard traits={profile.traits} piiMasked={profile.piiMasked} />
          {profile.kind === "user" && <ComputedTraitsCard slug={workspace.slug} computedTraits={profile.computedTraits} segments={profile.segments} />}
          {profile.links.total === 0 && <LinkedProfilesCard slug={workspace.slug} kind={profile.kind} links={profile.links} />}
        </div>
        <div className="min-w-0 space-y-6 lg:col-span-3">
          <ProfileTimeline
            // Remounts with fresh server data when the profile's events or identifiers change (unmerge).
            key={`${profile.eventCount}:${profile.identifierCount}`}
            slug={workspace.slug}
            profileId={profile.id}
            kind={profile.kind}
            initial={timeline}
            initialFilters={{ type: filters.types[0] ?? "", source: filters.sourceIds[0] ?? "", event: filters.events[0] ?? "" }}
            facets={facets}
            piiMasked={profile.piiMasked}
            eventCount={profile.eventCount}
          />
          <MergeHistory slug={workspace.slug} merges={profile.merges} conflicts={profile.conflicts} />
        </div>
      </div>
    </>
  );
}
