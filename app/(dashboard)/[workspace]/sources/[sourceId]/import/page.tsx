import type { Metadata } from "next";
import type { Progress } from "@/components/imports/import-list";
import { ImportPanel } from "@/components/imports/import-panel";
import { requireSourcePage } from "@/lib/sources/require-source-page";
import { listImports } from "@/lib/imports/list-imports";

export const metadata: Metadata = { title: "CSV import" };

export default async function SourceImportPage({ params }: { params: Promise<{ workspace: string; sourceId: string }> }) {
  const { workspace: slug, sourceId } = await params;
  const { workspace } = await requireSourcePage(slug, sourceId, "sources.write");
  const imports = (await listImports({ workspaceId: workspace.id, sourceId, limit: 20 })).filter((i) => i.status !== "draft");
  return (
    <ImportPanel
      slug={workspace.slug}
      sourceId={sourceId}
      imports={JSON.parse(JSON.stringify(imports)) as Progress[]}
    />
  );
}
