import { MobileNav } from "@/components/app-shell/mobile-nav";
import { SidebarNav } from "@/components/app-shell/sidebar-nav";
import { UserMenu } from "@/components/app-shell/user-menu";
import { WorkspaceSwitcher } from "@/components/app-shell/workspace-switcher";
import { workspaceNav } from "@/components/app-shell/workspace-nav";
import { requirePageAccess } from "@/lib/auth/page-access";
import { listWorkspaces } from "@/lib/workspaces/list-workspaces";

export default async function WorkspaceLayout({ children, params }: { children: React.ReactNode; params: Promise<{ workspace: string }> }) {
  const { workspace: slug } = await params;
  const { user, workspace, role } = await requirePageAccess(slug, "workspace.read");
  const workspaces = await listWorkspaces({ userId: user.id });
  const items = workspaceNav(workspace.slug, role);
  const shell = (
    <div className="flex h-full flex-col gap-4">
      <WorkspaceSwitcher current={workspace} workspaces={workspaces} />
      <div className="flex-1 overflow-y-auto">
        <SidebarNav workspaceSlug={workspace.slug} items={items} />
      </div>
      <UserMenu user={user} role={role} />
    </div>
  );
  return (
    <div className="min-h-screen md:flex">
      <MobileNav title={workspace.name}>{shell}</MobileNav>
      <aside className="sticky top-0 hidden h-screen w-64 shrink-0 border-r border-neutral-200 bg-white p-4 md:block" aria-label="Workspace navigation">
        {shell}
      </aside>
      <main id="main" className="min-w-0 flex-1 px-4 py-6 md:px-8 md:py-8">
        <div className="mx-auto max-w-6xl">{children}</div>
      </main>
    </div>
  );
}
