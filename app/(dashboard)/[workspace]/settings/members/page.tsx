import type { Metadata } from "next";
import { requirePageAccess } from "@/lib/auth/page-access";
import { listMembers } from "@/lib/members/list-members";
import { AddMemberForm } from "./add-member-form";
import { MembersTable } from "./members-table";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace, user } = await requirePageAccess((await params).workspace, "members.read");
  const members = await listMembers({ workspaceId: workspace.id });
  return (
    <div className="space-y-6">
      <AddMemberForm slug={workspace.slug} />
      <MembersTable
        slug={workspace.slug}
        currentUserId={user.id}
        members={members.map((m) => ({ ...m, joinedAt: m.joinedAt.toISOString(), lastLoginAt: m.lastLoginAt?.toISOString() ?? null }))}
      />
    </div>
  );
}
