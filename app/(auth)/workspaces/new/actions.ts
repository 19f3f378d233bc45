"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { userAction } from "@/lib/auth/authorized-action";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { workspaceNameSchema } from "@/lib/workspaces/workspace-input";

export const createWorkspaceAction = userAction({
  input: z.object({ name: workspaceNameSchema }),
  run: async ({ name }, user) => {
    const workspace = await createWorkspace({ name, adminUserId: user.id });
    revalidatePath("/", "layout"); // every workspace switcher lists the new one
    redirect(`/${workspace.slug}`);
  },
});
