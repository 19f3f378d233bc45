"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { workspaceAction } from "@/lib/auth/authorized-action";
import { cancelImport } from "@/lib/imports/cancel-import";
import { startImport } from "@/lib/imports/start-import";

export const startImportAction = workspaceAction({
  permission: "sources.write",
  // The mapping itself is validated against the file's columns by startImport.
  input: z.object({ importId: z.uuid(), mapping: z.unknown() }),
  run: async ({ importId, mapping }, { workspace }) => {
    await startImport({ workspaceId: workspace.id, importId, mapping });
    revalidatePath(`/${workspace.slug}/sources`, "layout");
  },
});

export const cancelImportAction = workspaceAction({
  permission: "sources.write",
  input: z.object({ importId: z.uuid() }),
  run: async ({ importId }, { workspace }) => {
    await cancelImport({ workspaceId: workspace.id, importId });
  },
});
