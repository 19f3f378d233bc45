import type { Metadata } from "next";
import type { Progress } from "@/components/imports/import-list";
import { ImportPanel } from "@/components/imports/import-panel";
import { requireSourcePage } from "@/lib/sources/require-source-page";
import { getImport } from "@/lib/imports/get-import";
import { listImports } from "@/lib/imports/list-imports";
import type { CsvDelimiter } from "@/lib/imports/csv-parser";

export const metadata: Metadata = { title: "CSV import" };

export default async function SourceImportPage({ params }: { params: Promise<{ workspace: string; sourceId: string }> }) {
  const { workspace: slug, sourceId } = await params;
  const { workspace } = await requireSourcePage(slug, sourceId, "sources.write");
  const all = await listImports({ workspaceId: workspace.id, sourceId, limit: 20 });
  const imports = all.filter((i) => i.status !== "draft");
  // A file uploaded but not started yet (say, the page was reloaded while mapping) reopens its mapping form.
  const draft = all.find((i) => i.status === "draft");
  const d = draft ? await getImport({ workspaceId: workspace.id, importId: draft.importId }) : null;
  const resume = d && {
    importId: d.id,
    analysis: { delimiter: d.delimiter as CsvDelimiter, headers: d.headers, preview: d.preview, totalRows: d.totalRows ?? 0, byteSize: d.byteSize, warnings: [] },
    savedMapping: d.mapping,
  };
  return (
    <ImportPanel
      resume={resume}
      slug={workspace.slug}
      sourceId={sourceId}
      imports={JSON.parse(JSON.stringify(imports)) as Progress[]}
    />
  );
}
