import type { Metadata } from "next";
import Link from "next/link";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { requirePageAccess } from "@/lib/auth/page-access";
import { RenameWorkspaceForm } from "./rename-workspace-form";

export const metadata: Metadata = { title: "Settings" };

export default async function GeneralSettingsPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace } = await requirePageAccess((await params).workspace, "settings.read");
  return (
    <div className="space-y-6">
      <Card>
        <CardHeader>
          <CardTitle>Workspace name</CardTitle>
          <CardDescription>Shown in the sidebar and the workspace switcher. The address of the workspace (/{workspace.slug}) does not change.</CardDescription>
        </CardHeader>
        <CardContent>
          <RenameWorkspaceForm slug={workspace.slug} name={workspace.name} />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Other workspaces</CardTitle>
          <CardDescription>Keep brands, regions or test data apart: each workspace has its own data and members.</CardDescription>
        </CardHeader>
        <CardContent>
          <Link href="/workspaces/new" className="text-sm font-medium text-indigo-600 hover:underline">Create another workspace</Link>
        </CardContent>
      </Card>
    </div>
  );
}
