import type { Metadata } from "next";
import { Fingerprint } from "lucide-react";
import { SectionPlaceholder } from "@/components/app-shell/section-placeholder";
import { requirePageAccess } from "@/lib/auth/page-access";

export const metadata: Metadata = { title: "Identity" };

export default async function Page({ params }: { params: Promise<{ workspace: string }> }) {
  await requirePageAccess((await params).workspace, "identity.read");
  return (
    <SectionPlaceholder
      title="Identity"
      description="How records become one person: identifier types, priorities, limits and merge history."
      icon={Fingerprint}
      emptyTitle="Identity rules use the defaults"
      emptyBody="Tessera resolves user ids, anonymous ids, emails, phone numbers, device ids and custom identifiers into profiles. Admins tune priorities, per-profile limits and blocked values here."
      steps={["Send data with more than one identifier per person (e.g. anonymous id, then email).", "Review the resulting merges in a profile’s merge history.", "Adjust priorities and limits if your data needs it."]}
    />
  );
}
