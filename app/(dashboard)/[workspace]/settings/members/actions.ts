"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { workspaceAction } from "@/lib/auth/authorized-action";
import { addMember } from "@/lib/members/add-member";
import { changeMemberRole } from "@/lib/members/change-member-role";
import { emailSchema, roleSchema } from "@/lib/members/member-input";
import { removeMember } from "@/lib/members/remove-member";

const membersPath = (slug: string) => `/${slug}/settings/members`;

export const addMemberAction = workspaceAction({
  permission: "members.write",
  input: z.object({ email: emailSchema, role: roleSchema, name: z.string().trim().max(100).optional() }),
  run: async (input, { workspace }) => {
    const result = await addMember({ workspaceId: workspace.id, ...input });
    revalidatePath(membersPath(workspace.slug));
    return result;
  },
});

export const changeMemberRoleAction = workspaceAction({
  permission: "members.write",
  input: z.object({ userId: z.uuid({ error: "Unknown member." }), role: roleSchema }),
  run: async (input, { workspace }) => {
    await changeMemberRole({ workspaceId: workspace.id, ...input });
    revalidatePath(membersPath(workspace.slug));
  },
});

export const removeMemberAction = workspaceAction({
  permission: "members.write",
  input: z.object({ userId: z.uuid({ error: "Unknown member." }) }),
  run: async ({ userId }, { workspace }) => {
    await removeMember({ workspaceId: workspace.id, userId });
    revalidatePath(membersPath(workspace.slug));
  },
});
