import type { Metadata } from "next";
import { Users } from "lucide-react";
import { SectionPlaceholder } from "@/components/app-shell/section-placeholder";
import { requirePageAccess } from "@/lib/auth/page-access";

export const metadata: Metadata = { title: "Profiles" };

export default async function Page({ params }: { params: Promise<{ workspace: string }> }) {
  await requirePageAccess((await params).workspace, "profiles.read");
  return (
    <SectionPlaceholder
      title="Profiles"
      description="One persistent profile per person, known or anonymous, resolved across every source."
      icon={Users}
      emptyTitle="No profiles yet"
      emptyBody="Profiles appear as soon as events arrive: identifiers like email, phone and user id are resolved into one person with traits and a unified timeline."
      steps={["Connect a source and send identify or track calls.", "Search by email, phone, user id or name.", "Open a profile for the customer-360 view and timeline."]}
    />
  );
}
