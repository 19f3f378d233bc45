// Ready-to-paste setup code for a source, filled with its real write key and this host.
import type { SourceKind } from "@/lib/sources/source-input";

export function setupSnippets(options: { kind: SourceKind; writeKey: string; origin: string }): { title: string; code: string }[] {
  const { writeKey, origin } = options;
  const host = new URL(origin).host;
  const protocol = new URL(origin).protocol.replace(":", "");
  const browser = {
    title: "Browser: @segment/analytics-next",
    code: `import { AnalyticsBrowser } from "@segment/analytics-next";

export const analytics = AnalyticsBrowser.load(
  { writeKey: "${writeKey}", cdnURL: "${origin}" },
  { integrations: { "Segment.io": { apiHost: "${host}/v1", protocol: "${protocol}" } } },
);

analytics.page();
analytics.track("Signed Up", { plan: "pro" });`,
  };
  const node = {
    title: "Server: @segment/analytics-node",
    code: `import { Analytics } from "@segment/analytics-node";

const analytics = new Analytics({ writeKey: "${writeKey}", host: "${origin}" });

analytics.identify({ userId: "user-123", traits: { email: "ada@example.com" } });
analytics.track({ userId: "user-123", event: "Order Completed", properties: { total: 99.5 } });
await analytics.closeAndFlush();`,
  };
  const mobile = {
    title: "Mobile: Segment or RudderStack SDK",
    code: `// Point the SDK's API host at Tessera; nothing else changes.
// Segment (Kotlin):  Analytics("${writeKey}", applicationContext) { apiHost = "${host}/v1" }
// Segment (Swift):   Configuration(writeKey: "${writeKey}").apiHost("${host}/v1")
// RudderStack:       dataPlaneUrl = "${origin}", writeKey = "${writeKey}"`,
  };
  const curl = {
    title: "Any HTTP client: curl",
    code: `curl -X POST ${origin}/v1/track \\
  -u "${writeKey}:" \\
  -H "Content-Type: application/json" \\
  -d '{"userId":"user-123","event":"Order Completed","properties":{"total":99.5}}'`,
  };
  const file = {
    title: "Bulk: /v1/batch",
    code: `curl -X POST ${origin}/v1/batch \\
  -u "${writeKey}:" \\
  -H "Content-Type: application/json" \\
  -d '{"batch":[{"type":"identify","userId":"crm-42","traits":{"email":"ada@example.com"}},{"type":"track","userId":"crm-42","event":"Store Purchase","properties":{"total":31.9}}]}'`,
  };
  switch (options.kind) {
    case "website":
      return [browser, curl];
    case "server":
      return [node, curl];
    case "mobile":
      return [mobile, curl];
    case "file":
      return [file, curl];
  }
}
