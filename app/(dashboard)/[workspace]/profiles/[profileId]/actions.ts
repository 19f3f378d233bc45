"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { workspaceAction } from "@/lib/auth/authorized-action";
import { AppError } from "@/lib/errors";
import { unmergeProfile } from "@/lib/identity/unmerge-profile";
import { identifierOfProfile } from "@/lib/profiles/profile-360";

export interface UnmergeOutcome {
  splitProfileId: string;
  /** True when a recorded merge was undone (the old profile came back), false for a new profile. */
  undoneMerge: boolean;
  movedIdentifiers: number;
}

/** Admins split an identifier off a profile (lib/identity/unmerge-profile.ts). */
export const unmergeIdentifierAction = workspaceAction({
  permission: "identity.write",
  input: z.object({ profileId: z.uuid({ error: "Unknown profile." }), identityId: z.string().regex(/^\d{1,18}$/, { error: "Unknown identifier." }) }),
  run: async ({ profileId, identityId }, { workspace, user }): Promise<UnmergeOutcome> => {
    const identifier = await identifierOfProfile({ workspaceId: workspace.id, profileId, identityId });
    if (!identifier) throw new AppError("not_found", "This identifier is no longer on this profile. Reload the page to see its current identifiers.");
    const result = await unmergeProfile({ workspaceId: workspace.id, profileId, identifier, userId: user.id });
    revalidatePath(`/${workspace.slug}/profiles/${profileId}`);
    revalidatePath(`/${workspace.slug}/profiles/${result.splitProfileId}`);
    revalidatePath(`/${workspace.slug}/profiles`);
    return { splitProfileId: result.splitProfileId, undoneMerge: result.undoneMergeId !== null, movedIdentifiers: result.identityIds.length };
  },
});
