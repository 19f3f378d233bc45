import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { RecentConflicts } from "@/components/identity/recent-conflicts";
import { requirePageAccess } from "@/lib/auth/page-access";
import { can } from "@/lib/auth/permissions";
import { listIdentityConflicts, parseConflictCursor } from "@/lib/identity/identity-conflicts";
import { getIdentitySettingsRecord } from "@/lib/identity/save-identity-settings";
import { listSources } from "@/lib/sources/list-sources";
import { IdentitySettingsForm } from "./identity-settings-form";

export const metadata: Metadata = { title: "Identity" };

export default async function IdentityPage({
  params,
  searchParams,
}: {
  params: Promise<{ workspace: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { workspace, role } = await requirePageAccess((await params).workspace, "identity.read");
  const before = (await searchParams).before;
  const cursor = typeof before === "string" && parseConflictCursor(before) ? before : null;
  const canSeePii = can(role, "profiles.read_pii");
  const [record, sources, conflicts] = await Promise.all([
    getIdentitySettingsRecord(workspace.id),
    listSources({ workspaceId: workspace.id }),
    listIdentityConflicts({ workspaceId: workspace.id, canSeePii, before: cursor }),
  ]);
  return (
    <>
      <PageHeader title="Identity" description="How Tessera decides that records from different sources belong to the same person." />
      <div className="space-y-6">
        <IdentitySettingsForm
          slug={workspace.slug}
          record={record}
          sources={sources.map((s) => ({ id: s.id, name: s.name }))}
          readOnly={!can(role, "identity.write")}
        />
        <RecentConflicts slug={workspace.slug} page={conflicts} linkProfiles={can(role, "profiles.read")} isFirstPage={!cursor} masked={!canSeePii} />
      </div>
    </>
  );
}
