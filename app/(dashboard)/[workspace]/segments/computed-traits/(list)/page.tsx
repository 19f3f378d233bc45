import type { Metadata } from "next";
import Link from "next/link";
import { Plus, SearchX, Sigma } from "lucide-react";
import { ComputedTraitsTable } from "@/components/computed-traits/computed-traits-table";
import { Alert } from "@/components/ui/alert";
import { buttonVariants } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { ListSearchForm } from "@/components/ui/list-search-form";
import { requirePageAccess } from "@/lib/auth/page-access";
import { can } from "@/lib/auth/permissions";
import { listComputedTraits, parseComputedTraitListParams } from "@/lib/computed-traits/list-computed-traits";

export const metadata: Metadata = { title: "Computed traits" };

type SearchParams = Record<string, string | string[] | undefined>;

export default async function ComputedTraitsPage({ params, searchParams }: { params: Promise<{ workspace: string }>; searchParams: Promise<SearchParams> }) {
  const { workspace, role } = await requirePageAccess((await params).workspace, "segments.read");
  const query = await searchParams;
  const state = parseComputedTraitListParams(query);
  const list = await listComputedTraits({ workspaceId: workspace.id, ...state });
  const base = `/${workspace.slug}/segments/computed-traits`;
  const newButton = can(role, "segments.write") && (
    <Link href={`${base}/new`} className={buttonVariants()}>
      <Plus aria-hidden /> New computed trait
    </Link>
  );
  const saved = typeof query.saved === "string" ? list.rows.find((r) => r.key === query.saved) : undefined;
  const header = (
    <PageHeader
      title="Computed traits"
      description="Values computed from each profile's events — order counts, lifetime value, last plan — kept current as events arrive. Use them on profiles, in segments and in the Profile API."
      actions={list.total > 0 || state.query ? newButton : null}
    />
  );

  if (list.total === 0 && !state.query && state.page === 1) {
    return (
      <>
        {header}
        <EmptyState
          icon={Sigma}
          title="No computed traits yet"
          description="A computed trait counts events or adds up, averages or picks a property of them, such as “orders in the last 30 days” or “lifetime value”. Every profile gets its value, updated with each event."
          action={newButton || <p className="text-sm text-neutral-500">Ask a marketer or an admin to create the first computed trait.</p>}
        />
      </>
    );
  }

  return (
    <>
      {header}
      {saved && (
        <Alert variant={saved.lastError ? "error" : "success"} className="mb-4" data-testid="saved-notice">
          {saved.lastError ? `“${saved.name}” was saved, but computing its values failed: ${saved.lastError}` : `“${saved.name}” is saved: ${saved.profiles.toLocaleString("en")} ${saved.profiles === 1 ? "profile has" : "profiles have"} a value.`}
        </Alert>
      )}
      <ListSearchForm action={base} label="Computed traits" inputLabel="Find a computed trait" placeholder="Find by name or key" query={state.query} />
      {list.rows.length === 0 ? (
        <EmptyState
          icon={SearchX}
          title={state.query ? `No computed trait matches “${state.query}”` : "Nothing on this page"}
          description={state.query ? "Search looks for the text in names and keys." : `There are ${list.total} computed traits, but not this many pages of them.`}
          action={<Link href={base} className={buttonVariants({ variant: "outline" })}>Show all computed traits</Link>}
        />
      ) : (
        <ComputedTraitsTable slug={workspace.slug} list={list} state={state} />
      )}
    </>
  );
}
