import { workspaceRoute } from "@/lib/auth/authorized-route";
import { importProgress } from "@/lib/imports/import-progress";
import { summarizeRowErrors } from "@/lib/imports/row-errors-csv";

export const dynamic = "force-dynamic";

// Polled by the progress bar.
// Failed rows hold raw personal data: only those who import (admins) may see them.
export const GET = workspaceRoute("sources.write", async (_req, { workspace }, params) => {
  const importId = String(params.importId);
  const [progress, errors] = await Promise.all([
    importProgress({ workspaceId: workspace.id, importId }),
    summarizeRowErrors({ workspaceId: workspace.id, importId, limit: 10 }),
  ]);
  return Response.json({ progress, errors }, { headers: { "Cache-Control": "no-store" } });
});
