import type { Metadata } from "next";
import { ShieldCheck } from "lucide-react";
import { SectionPlaceholder } from "@/components/app-shell/section-placeholder";
import { requirePageAccess } from "@/lib/auth/page-access";

export const metadata: Metadata = { title: "Governance" };

export default async function Page({ params }: { params: Promise<{ workspace: string }> }) {
  await requirePageAccess((await params).workspace, "governance.read");
  return (
    <SectionPlaceholder
      title="Governance"
      description="Consent, privacy requests and the audit log."
      icon={ShieldCheck}
      emptyTitle="Nothing to govern yet"
      emptyBody="Consent purposes decide what may be sent to each destination; privacy requests (access and deletion) and the audit log of admin actions will be managed here."
      steps={["Define the consent purposes your sites collect.", "Map them to destinations.", "Handle access and deletion requests from one place."]}
    />
  );
}
