import { workspaceRoute } from "@/lib/auth/authorized-route";
import { can } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { resolveProfile } from "@/lib/profiles/profile-360";
import { parseTimelineFilters, profileTimeline, TIMELINE_PAGE_SIZE } from "@/lib/profiles/profile-timeline";

export const dynamic = "force-dynamic";

// The Customer 360 timeline, a page at a time: ?cursor=…&limit=…&type=…&source=…&event=… (filters
// repeatable). A merged-away profile id answers with its survivor's timeline.
export const GET = workspaceRoute("profiles.read", async (req, { workspace, role }, params) => {
  const query = new URL(req.url).searchParams;
  const filters = parseTimelineFilters((name) => query.getAll(name), { strict: true });
  const limitParam = query.get("limit");
  const limit = limitParam === null ? TIMELINE_PAGE_SIZE : Number(limitParam);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new AppError("invalid_input", "limit: use a whole number from 1 to 100.");
  const found = await resolveProfile({ workspaceId: workspace.id, profileId: String(params.profileId) });
  if (found.status === "not_found") throw new AppError("not_found", "Profile not found.");
  const page = await profileTimeline({
    workspaceId: workspace.id,
    profileId: found.status === "found" ? found.id : found.survivorId,
    kind: found.kind,
    canSeePii: can(role, "profiles.read_pii"),
    filters,
    cursor: query.get("cursor"),
    limit,
  });
  return Response.json(page, { headers: { "Cache-Control": "no-store" } });
});
