"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { workspaceAction } from "@/lib/auth/authorized-action";
import { resetIdentitySettings, saveIdentitySettings } from "@/lib/identity/save-identity-settings";

// The settings themselves are validated by saveIdentitySettings, which words each problem for the form.
export const saveIdentitySettingsAction = workspaceAction({
  permission: "identity.write",
  input: z.object({ settings: z.unknown(), expectedUpdatedAt: z.string().max(40).nullable().optional() }),
  run: async ({ settings, expectedUpdatedAt }, { workspace, user }) => {
    const saved = await saveIdentitySettings({ workspaceId: workspace.id, userId: user.id, settings, expectedUpdatedAt });
    revalidatePath(`/${workspace.slug}/identity`);
    return saved;
  },
});

export const resetIdentitySettingsAction = workspaceAction({
  permission: "identity.write",
  input: z.object({}),
  run: async (_input, { workspace }) => {
    const saved = await resetIdentitySettings({ workspaceId: workspace.id });
    revalidatePath(`/${workspace.slug}/identity`);
    return saved;
  },
});
