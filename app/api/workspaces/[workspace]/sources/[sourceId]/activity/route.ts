import { workspaceRoute } from "@/lib/auth/authorized-route";
import { recentActivity } from "@/lib/sources/recent-activity";

export const dynamic = "force-dynamic";

// Polled by the live debugger.
export const GET = workspaceRoute("sources.read", async (_req, { workspace }, params) => {
  const items = await recentActivity({ workspaceId: workspace.id, sourceId: String(params.sourceId) });
  return Response.json({ items }, { headers: { "Cache-Control": "no-store" } });
});
