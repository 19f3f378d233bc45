import { canReadMetrics } from "@/lib/observability/metrics-access";
import { metrics } from "@/lib/observability/metrics";

export const dynamic = "force-dynamic";

export async function GET(req: Request) {
  if (!canReadMetrics(req.headers)) {
    return Response.json({ error: { code: "unauthenticated", message: "Send Authorization: Bearer <METRICS_TOKEN>." } }, { status: 401 });
  }
  const { registry } = metrics();
  return new Response(await registry.metrics(), { headers: { "Content-Type": registry.contentType, "Cache-Control": "no-store" } });
}
