import type { Metadata } from "next";
import { Send } from "lucide-react";
import { SectionPlaceholder } from "@/components/app-shell/section-placeholder";
import { requirePageAccess } from "@/lib/auth/page-access";

export const metadata: Metadata = { title: "Destinations" };

export default async function Page({ params }: { params: Promise<{ workspace: string }> }) {
  await requirePageAccess((await params).workspace, "destinations.read");
  return (
    <SectionPlaceholder
      title="Destinations"
      description="Where audiences and events go: ad platforms, email tools, webhooks and files."
      icon={Send}
      emptyTitle="No destinations yet"
      emptyBody="A destination receives segment entries and exits (and forwarded events) in batches, with retries, so ad and email audiences stay in sync."
      steps={["Create a segment.", "Add a destination such as a webhook or an email tool.", "Connect the segment to it and watch deliveries."]}
    />
  );
}
