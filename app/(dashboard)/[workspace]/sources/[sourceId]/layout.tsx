import Link from "next/link";
import { ArrowLeft } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { TabNav } from "@/components/app-shell/tab-nav";
import { requirePageAccess } from "@/lib/auth/page-access";
import { can } from "@/lib/auth/permissions";
import { getSource } from "@/lib/sources/get-source";
import { SOURCE_KIND_LABELS } from "@/lib/sources/source-input";
import { notFound } from "next/navigation";
import { isAppError } from "@/lib/errors";

export default async function SourceLayout({ children, params }: { children: React.ReactNode; params: Promise<{ workspace: string; sourceId: string }> }) {
  const { workspace: slug, sourceId } = await params;
  const { workspace, role } = await requirePageAccess(slug, "sources.read");
  const source = await getSource({ workspaceId: workspace.id, sourceId }).catch((err) => (isAppError(err) ? notFound() : Promise.reject(err)));
  const base = `/${workspace.slug}/sources/${source.id}`;
  return (
    <>
      <Link href={`/${workspace.slug}/sources`} className="inline-flex items-center gap-1 text-sm text-neutral-600 hover:text-neutral-900">
        <ArrowLeft aria-hidden className="size-4" /> Sources
      </Link>
      <PageHeader
        className="mt-2"
        title={source.name}
        description={SOURCE_KIND_LABELS[source.kind].description}
        actions={<Badge variant={source.enabled ? "success" : "warning"}>{source.enabled ? "Receiving" : "Disabled"}</Badge>}
      />
      <TabNav
        label="Source sections"
        tabs={[
          { href: base, label: "Overview" },
          { href: `${base}/setup`, label: "Setup" },
          ...(can(role, "sources.write") ? [{ href: `${base}/settings`, label: "Settings" }] : []),
        ]}
      />
      <div className="mt-6">{children}</div>
    </>
  );
}
