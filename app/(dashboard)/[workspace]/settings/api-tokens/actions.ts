"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { workspaceAction } from "@/lib/auth/authorized-action";
import { createApiToken, revokeApiToken } from "@/lib/profile-api/api-tokens";

const apiTokensPath = (slug: string) => `/${slug}/settings/api-tokens`;

export interface CreatedApiToken {
  id: string;
  name: string;
  prefix: string;
  /** The full token: returned this once, never stored in clear. */
  token: string;
}

export const createApiTokenAction = workspaceAction({
  permission: "workspace.update",
  input: z.object({
    name: z
      .string()
      .trim()
      .min(1, "Give the token a name, e.g. the system that will use it.")
      .max(100, "Keep the name under 100 characters."),
  }),
  run: async ({ name }, { workspace, user }): Promise<CreatedApiToken> => {
    const created = await createApiToken({ workspaceId: workspace.id, name, createdById: user.id });
    revalidatePath(apiTokensPath(workspace.slug));
    return created;
  },
});

export const revokeApiTokenAction = workspaceAction({
  permission: "workspace.update",
  input: z.object({ tokenId: z.uuid({ error: "Unknown token." }) }),
  run: async ({ tokenId }, { workspace }) => {
    await revokeApiToken({ workspaceId: workspace.id, tokenId });
    revalidatePath(apiTokensPath(workspace.slug));
  },
});
