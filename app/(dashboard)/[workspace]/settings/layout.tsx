import { PageHeader } from "@/components/ui/page-header";
import { SettingsTabs } from "@/components/app-shell/settings-tabs";
import { requirePageAccess } from "@/lib/auth/page-access";

export default async function SettingsLayout({ children, params }: { children: React.ReactNode; params: Promise<{ workspace: string }> }) {
  const { workspace } = await requirePageAccess((await params).workspace, "settings.read");
  return (
    <>
      <PageHeader title="Settings" description="Workspace details and who has access." />
      <SettingsTabs slug={workspace.slug} />
      <div className="mt-6">{children}</div>
    </>
  );
}
