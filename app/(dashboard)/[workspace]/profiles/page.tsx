import { SectionPlaceholder, sectionTitle } from "@/components/app-shell/section-placeholder";
import { requirePageAccess } from "@/lib/auth/page-access";

export const metadata = { title: sectionTitle("profiles") };

export default async function Page({ params }: { params: Promise<{ workspace: string }> }) {
  await requirePageAccess((await params).workspace, "profiles.read");
  return <SectionPlaceholder section="profiles" />;
}
