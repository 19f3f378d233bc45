import { workspaceRoute } from "@/lib/auth/authorized-route";
import { can } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { getSegment } from "@/lib/segments/get-segment";
import { segmentMembersCsv } from "@/lib/segments/segment-members";
import { csvDownload } from "@/lib/server/csv-download";

export const dynamic = "force-dynamic";

// All members of a segment as a CSV download, streamed page by page. Emails are masked for roles
// that see contact details masked, as everywhere else.
export const GET = workspaceRoute("segments.read", async (_req, { workspace, role }, params) => {
  const segment = await getSegment({ workspaceId: workspace.id, segmentId: String(params.segmentId) });
  if (!segment) throw new AppError("not_found", "Segment not found.");
  const pieces = segmentMembersCsv({ workspaceId: workspace.id, segmentId: segment.id, canSeePii: can(role, "profiles.read_pii") });
  return csvDownload(pieces, `${segment.key || "segment"}-members.csv`);
});
