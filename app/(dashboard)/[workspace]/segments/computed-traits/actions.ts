"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { workspaceAction } from "@/lib/auth/authorized-action";
import { deleteComputedTrait, saveComputedTrait } from "@/lib/computed-traits/save-computed-trait";

const listPath = (slug: string) => `/${slug}/segments/computed-traits`;

// The definition is validated by saveComputedTrait (field errors keyed like the form's fields).
const saveInput = z.object({ traitId: z.uuid().optional(), name: z.string().max(1000), definition: z.unknown() });

export const saveComputedTraitAction = workspaceAction({
  permission: "segments.write",
  input: saveInput,
  run: async ({ traitId, name, definition }, { workspace, user }) => {
    const saved = await saveComputedTrait({ workspaceId: workspace.id, traitId, name, definition, userId: user.id });
    revalidatePath(listPath(workspace.slug), "layout");
    return saved;
  },
});

export const deleteComputedTraitAction = workspaceAction({
  permission: "segments.write",
  input: z.object({ traitId: z.uuid() }),
  run: async ({ traitId }, { workspace }) => {
    await deleteComputedTrait({ workspaceId: workspace.id, traitId });
    revalidatePath(listPath(workspace.slug), "layout");
  },
});
