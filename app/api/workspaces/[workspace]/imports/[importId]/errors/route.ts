import { workspaceRoute } from "@/lib/auth/authorized-route";
import { importProgress } from "@/lib/imports/import-progress";
import { rowErrorsCsv } from "@/lib/imports/row-errors-csv";
import { csvDownload } from "@/lib/server/csv-download";

export const dynamic = "force-dynamic";

// The rejected rows of an import as a CSV download, streamed page by page.
// Failed rows hold raw personal data: only those who import (admins) may see them.
export const GET = workspaceRoute("sources.write", async (_req, { workspace }, params) => {
  const importId = String(params.importId);
  const job = await importProgress({ workspaceId: workspace.id, importId }); // 404 for another workspace's import
  const pieces = rowErrorsCsv({ workspaceId: workspace.id, importId });
  return csvDownload(pieces, `${job.fileName.replace(/\.csv$/i, "")}-errors.csv`);
});
