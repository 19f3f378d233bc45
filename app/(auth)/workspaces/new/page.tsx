import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { currentUser } from "@/lib/auth/current-user";
import { listWorkspaces } from "@/lib/workspaces/list-workspaces";
import { NewWorkspaceForm } from "./new-workspace-form";

export const metadata: Metadata = { title: "New workspace" };

export default async function NewWorkspacePage() {
  const user = await currentUser();
  if (!user) redirect("/login?callbackUrl=/workspaces/new");
  const workspaces = await listWorkspaces({ userId: user.id });
  return (
    <Card>
      <CardHeader>
        <CardTitle>Create a workspace</CardTitle>
        <CardDescription>
          A workspace holds its own sources, profiles, segments and members: use one per brand, region or environment. You become its admin.
        </CardDescription>
      </CardHeader>
      <CardContent className="space-y-4">
        <NewWorkspaceForm />
        {workspaces.length > 0 && (
          <p className="text-center text-sm text-neutral-600">
            or <Link className="font-medium text-indigo-600 hover:underline" href={`/${workspaces[0].slug}`}>go back to {workspaces[0].name}</Link>
          </p>
        )}
      </CardContent>
    </Card>
  );
}
