import Link from "next/link";
import { ArrowLeft } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { TabNav } from "@/components/app-shell/tab-nav";
import { can } from "@/lib/auth/permissions";
import { requireSourcePage } from "@/lib/sources/require-source-page";
import { SOURCE_KIND_LABELS } from "@/lib/sources/source-input";

export default async function SourceLayout({ children, params }: { children: React.ReactNode; params: Promise<{ workspace: string; sourceId: string }> }) {
  const { workspace: slug, sourceId } = await params;
  const { workspace, role, source } = await requireSourcePage(slug, sourceId, "sources.read");
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
          ...(can(role, "sources.write") ? [{ href: `${base}/import`, label: "CSV import" }, { href: `${base}/settings`, label: "Settings" }] : []),
        ]}
      />
      <div className="mt-6">{children}</div>
    </>
  );
}
