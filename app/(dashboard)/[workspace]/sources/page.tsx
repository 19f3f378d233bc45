import type { Metadata } from "next";
import { Database } from "lucide-react";
import { SectionPlaceholder } from "@/components/app-shell/section-placeholder";
import { requirePageAccess } from "@/lib/auth/page-access";

export const metadata: Metadata = { title: "Sources" };

export default async function Page({ params }: { params: Promise<{ workspace: string }> }) {
  await requirePageAccess((await params).workspace, "sources.read");
  return (
    <SectionPlaceholder
      title="Sources"
      description="Websites, mobile apps, servers and file imports that send customer data to Tessera."
      icon={Database}
      emptyTitle="No sources yet"
      emptyBody="Each source gets a write key for the Segment-compatible tracking API, so apps already using Segment or RudderStack SDKs switch by changing one host setting."
      steps={["An admin creates a source (Website, Server, Mobile app or File import).", "Copy its write key into the analytics.js snippet, @segment/analytics-node or curl.", "Watch events arrive in the live debugger."]}
    />
  );
}
