import { redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/current-user";
import { isSetupComplete } from "@/lib/setup/create-first-admin";
import { listWorkspaces } from "@/lib/workspaces/list-workspaces";

export default async function Home() {
  if (!(await isSetupComplete())) redirect("/setup");
  const user = await currentUser();
  if (!user) redirect("/login");
  const [first] = await listWorkspaces({ userId: user.id });
  redirect(first ? `/${first.slug}` : "/workspaces/new");
}
