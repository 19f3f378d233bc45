"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { workspaceAction } from "@/lib/auth/authorized-action";
import { renameWorkspace } from "@/lib/workspaces/rename-workspace";
import { workspaceNameSchema } from "@/lib/workspaces/workspace-input";

export const renameWorkspaceAction = workspaceAction({
  permission: "workspace.update",
  input: z.object({ name: workspaceNameSchema }),
  run: async ({ name }, { workspace }) => {
    const updated = await renameWorkspace({ workspaceId: workspace.id, name });
    revalidatePath(`/${workspace.slug}`, "layout");
    return updated;
  },
});
