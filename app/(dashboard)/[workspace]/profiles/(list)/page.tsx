import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { parsePhoneNumberFromString } from "libphonenumber-js";
import { Building2, Database, Lock, SearchX, Users } from "lucide-react";
import { ProfileKindToggle, ProfileSearchForm, ProfilesPagination, ProfilesTable, ProfilesTableSkeleton, type ExplorerState, type ProfileTableRow } from "@/components/profiles/profiles-table";
import { buttonVariants } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageAccess } from "@/lib/auth/page-access";
import { can } from "@/lib/auth/permissions";
import { parseProfileSearchParams, searchProfiles, type ProfileRow } from "@/lib/profiles/search-profiles";

export const metadata: Metadata = { title: "Profiles" };

type SearchParams = Record<string, string | string[] | undefined>;

export default async function ProfilesPage({ params, searchParams }: { params: Promise<{ workspace: string }>; searchParams: Promise<SearchParams> }) {
  const { workspace, role } = await requirePageAccess((await params).workspace, "profiles.read");
  const state: ExplorerState = parseProfileSearchParams(await searchParams);
  const canSeePii = can(role, "profiles.read_pii");
  return (
    <>
      <PageHeader title="Profiles" description="Look someone up by email, phone, user id or name, or browse everyone by recent activity." />
      <div className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
        <ProfileSearchForm slug={workspace.slug} state={state} canSeePii={canSeePii} />
        <ProfileKindToggle slug={workspace.slug} state={state} />
      </div>
      {!canSeePii && (
        <p className="mt-3 flex items-center gap-1.5 text-xs text-neutral-500" data-testid="pii-note">
          <Lock aria-hidden className="size-3.5 shrink-0" />
          Emails and phone numbers are masked for your role. To find someone by them, enter the complete address or number.
        </p>
      )}
      <div className="mt-6">
        {/* Keyed by the URL state: a new search shows the placeholder rows while the header and search box stay. */}
        <Suspense key={JSON.stringify(state)} fallback={<ProfilesTableSkeleton />}>
          <ProfileResults workspaceId={workspace.id} slug={workspace.slug} state={state} canSeePii={canSeePii} canSeeSources={can(role, "sources.read")} />
        </Suspense>
      </div>
    </>
  );
}

async function ProfileResults({ workspaceId, slug, state, canSeePii, canSeeSources }: { workspaceId: string; slug: string; state: ExplorerState; canSeePii: boolean; canSeeSources: boolean }) {
  const result = await searchProfiles({ workspaceId, query: state.query, kind: state.kind, sort: state.sort, direction: state.direction, page: state.page, canSeePii });
  const accounts = state.kind === "account";
  const base = `/${slug}/profiles`;
  const clearHref = accounts ? `${base}?kind=account` : base;

  if (result.rows.length === 0) {
    if (state.query) {
      const otherKind = accounts ? "" : "kind=account&";
      return (
        <EmptyState
          icon={SearchX}
          title={`No match for “${state.query}”`}
          description={
            accounts
              ? "Account search matches the start of a group id or an account name."
              : canSeePii
                ? "Search matches the start of an email address, phone number, user id, anonymous id or name. Check the spelling, or type less of it."
                : "Search matches the start of a name or user id, or a complete email address or phone number. Check the spelling, or type less of a name."
          }
          action={
            <>
              <Link href={clearHref} className={buttonVariants({ variant: "outline" })}>Clear search</Link>
              <Link href={`${base}?${otherKind}q=${encodeURIComponent(state.query)}`} className={buttonVariants({ variant: "ghost" })}>
                Search {accounts ? "people" : "accounts"} instead
              </Link>
            </>
          }
        />
      );
    }
    if (result.total > 0) {
      return (
        <EmptyState
          icon={accounts ? Building2 : Users}
          title="Nothing on this page"
          description={`There are ${result.total.toLocaleString("en")}${result.totalCapped ? "+" : ""} ${accounts ? "accounts" : "people"}, but not this many pages of them.`}
          action={<Link href={clearHref} className={buttonVariants({ variant: "outline" })}>Back to the first page</Link>}
        />
      );
    }
    const sourcesLink = canSeeSources ? (
      <Link href={`/${slug}/sources`} className={buttonVariants()}>
        <Database aria-hidden /> Go to Sources
      </Link>
    ) : (
      <p className="text-sm text-neutral-500">Ask an admin to connect a source.</p>
    );
    return accounts ? (
      <EmptyState
        icon={Building2}
        title="No accounts yet"
        description="Accounts come from group calls, which tie people to a company, team or household. Send group calls from a source and each group id becomes an account."
        action={sourcesLink}
      />
    ) : (
      <EmptyState
        icon={Users}
        title="No profiles yet"
        description="Profiles appear as soon as a source sends events: emails, phone numbers, user ids and anonymous ids are resolved into one profile per person."
        action={sourcesLink}
      />
    );
  }

  const pageState: ExplorerState = { ...state, page: result.page };
  const count = `${result.total.toLocaleString("en")}${result.totalCapped ? "+" : ""}`;
  return (
    <section aria-label="Results">
      {state.query && (
        <p className="mb-3 text-sm text-neutral-600" role="status">
          {count} {result.total === 1 && !result.totalCapped ? (accounts ? "account" : "person") : accounts ? "accounts" : "people"} match{" "}
          <span className="font-medium text-neutral-900">“{state.query}”</span>
          <span aria-hidden> · </span>
          <Link href={clearHref} className="font-medium text-indigo-700 hover:underline">Clear search</Link>
        </p>
      )}
      <ProfilesTable slug={slug} rows={result.rows.map((r) => toTableRow(r, canSeePii))} state={pageState} canSeePii={canSeePii} />
      <ProfilesPagination slug={slug} state={pageState} pageSize={result.pageSize} shown={result.rows.length} total={result.total} totalCapped={result.totalCapped} hasMore={result.hasMore} />
    </section>
  );
}

function toTableRow(r: ProfileRow, canSeePii: boolean): ProfileTableRow {
  // E.164 is for machines; agents read "+41 79 123 45 67". Masked values stay as they are.
  const phone = canSeePii && r.phone ? (parsePhoneNumberFromString(r.phone)?.formatInternational() ?? r.phone) : r.phone;
  return {
    id: r.id,
    displayName: !r.named && r.displayName === r.phone && phone ? phone : r.displayName,
    named: r.named,
    email: r.email,
    phone,
    externalId: r.externalId,
    lastSeenAt: r.lastSeenAt.toISOString(),
    firstSeenAt: r.firstSeenAt.toISOString(),
    eventCount: r.eventCount,
    sourceCount: r.sourceCount,
    sourceNames: r.sourceNames,
    identifierCount: r.identifierCount,
  };
}
