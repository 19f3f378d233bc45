import { workspaceRoute } from "@/lib/auth/authorized-route";
import { AppError } from "@/lib/errors";
import { createImport } from "@/lib/imports/create-import";

export const dynamic = "force-dynamic";

// Upload: the request body is the CSV file itself, streamed to disk (X-File-Name names it).
export const POST = workspaceRoute("sources.write", async (req, { workspace, user }, params) => {
  if (!req.body) throw new AppError("invalid_input", "Choose a CSV file to upload.");
  const raw = req.headers.get("x-file-name") ?? "upload.csv";
  let fileName = raw;
  try {
    fileName = decodeURIComponent(raw);
  } catch {
    // not percent-encoded after all: keep it as sent
  }
  const result = await createImport({ workspaceId: workspace.id, sourceId: String(params.sourceId), fileName, body: req.body, createdById: user.id });
  return Response.json(result);
});
