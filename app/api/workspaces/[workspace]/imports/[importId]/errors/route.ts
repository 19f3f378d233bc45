import { workspaceRoute } from "@/lib/auth/authorized-route";
import { importProgress } from "@/lib/imports/import-progress";
import { rowErrorsCsv } from "@/lib/imports/row-errors-csv";

export const dynamic = "force-dynamic";

// The rejected rows of an import as a CSV download, streamed page by page.
// Failed rows hold raw personal data: only those who import (admins) may see them.
export const GET = workspaceRoute("sources.write", async (_req, { workspace }, params) => {
  const importId = String(params.importId);
  const job = await importProgress({ workspaceId: workspace.id, importId }); // 404 for another workspace's import
  const pieces = rowErrorsCsv({ workspaceId: workspace.id, importId });
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await pieces.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
  });
  const name = `${job.fileName.replace(/\.csv$/i, "").replace(/[^\w.-]+/g, "_")}-errors.csv`;
  return new Response(body, { headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${name}"` } });
});
