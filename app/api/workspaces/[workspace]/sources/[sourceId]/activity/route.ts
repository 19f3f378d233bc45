import { workspaceRoute } from "@/lib/auth/authorized-route";
import { getSource } from "@/lib/sources/get-source";
import { recentActivity } from "@/lib/sources/recent-activity";

export const dynamic = "force-dynamic";

// Polled by the live debugger.
export const GET = workspaceRoute("sources.read", async (_req, { workspace }, params) => {
  const sourceId = String(params.sourceId);
  await getSource({ workspaceId: workspace.id, sourceId }); // 404 for a source of another workspace
  const items = await recentActivity({ workspaceId: workspace.id, sourceId });
  return Response.json({ items }, { headers: { "Cache-Control": "no-store" } });
});
