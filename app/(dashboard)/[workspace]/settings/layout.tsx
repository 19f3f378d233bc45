import { PageHeader } from "@/components/ui/page-header";
import { SettingsTabs } from "@/components/app-shell/settings-tabs";
import { requirePageAccess } from "@/lib/auth/page-access";

export default async function SettingsLayout({ children, params }: { children: React.ReactNode; params: Promise<{ workspace: string }> }) {
  const { workspace } = await requirePageAccess((await params).workspace, "settings.read");
  return (
    <>
      <PageHeader title="Settings" description="Workspace details, who has access, and API tokens for other systems." />
      <SettingsTabs slug={workspace.slug} />
      <div className="mt-6">{children}</div>
    </>
  );
}
