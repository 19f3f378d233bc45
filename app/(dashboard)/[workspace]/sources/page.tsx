import { SectionPlaceholder, sectionTitle } from "@/components/app-shell/section-placeholder";
import { requirePageAccess } from "@/lib/auth/page-access";

export const metadata = { title: sectionTitle("sources") };

export default async function Page({ params }: { params: Promise<{ workspace: string }> }) {
  await requirePageAccess((await params).workspace, "sources.read");
  return <SectionPlaceholder section="sources" />;
}
