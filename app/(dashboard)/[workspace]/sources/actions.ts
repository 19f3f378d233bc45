"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { workspaceAction } from "@/lib/auth/authorized-action";
import { createSource } from "@/lib/sources/create-source";
import { rotateWriteKey } from "@/lib/sources/rotate-write-key";
import { graceHoursSchema, originSchema, SOURCE_KINDS, sourceNameSchema } from "@/lib/sources/source-input";
import { updateSource } from "@/lib/sources/update-source";

const sourcePath = (slug: string, id: string) => `/${slug}/sources/${id}`;

export const createSourceAction = workspaceAction({
  permission: "sources.write",
  input: z.object({ name: sourceNameSchema, kind: z.enum(SOURCE_KINDS, { error: "Choose what kind of source this is." }) }),
  run: async (input, { workspace }) => {
    const source = await createSource({ workspaceId: workspace.id, ...input });
    revalidatePath(`/${workspace.slug}/sources`);
    redirect(`${sourcePath(workspace.slug, source.id)}/setup`);
  },
});

export const rotateWriteKeyAction = workspaceAction({
  permission: "sources.write",
  input: z.object({ sourceId: z.uuid(), graceHours: graceHoursSchema }),
  run: async ({ sourceId, graceHours }, { workspace }) => {
    const key = await rotateWriteKey({ workspaceId: workspace.id, sourceId, graceHours });
    revalidatePath(sourcePath(workspace.slug, sourceId), "layout");
    return { key: key.key };
  },
});

export const updateSourceAction = workspaceAction({
  permission: "sources.write",
  input: z.object({
    sourceId: z.uuid(),
    name: sourceNameSchema.optional(),
    enabled: z.boolean().optional(),
    allowedOrigins: z.array(originSchema).max(50, { error: "At most 50 origins." }).optional(),
  }),
  run: async ({ sourceId, ...changes }, { workspace }) => {
    await updateSource({ workspaceId: workspace.id, sourceId, ...changes });
    revalidatePath(sourcePath(workspace.slug, sourceId), "layout");
    revalidatePath(`/${workspace.slug}/sources`);
  },
});
