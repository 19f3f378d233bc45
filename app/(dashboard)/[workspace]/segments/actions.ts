"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { workspaceAction } from "@/lib/auth/authorized-action";
import { AppError } from "@/lib/errors";
import { estimateSegment } from "@/lib/segments/estimate-segment";
import { createSegment, deleteSegment, updateSegment } from "@/lib/segments/save-segment";
import { parseSegmentRule } from "@/lib/segments/segment-rule";

const segmentsPath = (slug: string) => `/${slug}/segments`;
const segmentId = z.uuid({ error: "Unknown segment." });

// Name, description and rule are validated by save-segment, which words each problem for the form
// (field errors keyed `name`, `description`, `rule.children.0.value`).
const segmentFields = { name: z.string().max(10_000), description: z.string().max(10_000).default(""), rule: z.unknown() };

export const createSegmentAction = workspaceAction({
  permission: "segments.write",
  input: z.object(segmentFields),
  run: async (input, { workspace, user }) => {
    const created = await createSegment({ workspaceId: workspace.id, userId: user.id, ...input });
    revalidatePath(segmentsPath(workspace.slug));
    return created;
  },
});

export const updateSegmentAction = workspaceAction({
  permission: "segments.write",
  input: z.object({ ...segmentFields, segmentId, version: z.number().int().min(1) }),
  run: async (input, { workspace, user }) => {
    const saved = await updateSegment({ workspaceId: workspace.id, userId: user.id, ...input });
    revalidatePath(segmentsPath(workspace.slug));
    return saved;
  },
});

export const deleteSegmentAction = workspaceAction({
  permission: "segments.write",
  input: z.object({ segmentId }),
  run: async ({ segmentId }, { workspace }) => {
    await deleteSegment({ workspaceId: workspace.id, segmentId });
    revalidatePath(segmentsPath(workspace.slug));
  },
});

// Estimating runs the compiled rule over the workspace's profiles: it belongs to those who build segments.
export const estimateSegmentAction = workspaceAction({
  permission: "segments.write",
  input: z.object({ rule: z.unknown(), overlapSegmentId: segmentId.optional() }),
  run: async ({ rule, overlapSegmentId }, { workspace }) => {
    const parsed = parseSegmentRule(rule);
    if (!parsed.ok) {
      const fieldErrors: Record<string, string[]> = {};
      for (const p of parsed.problems) (fieldErrors[["rule", ...p.path].join(".")] ??= []).push(p.message);
      throw new AppError("invalid_input", "Fix the rule to see an estimate.", fieldErrors);
    }
    return estimateSegment({ workspaceId: workspace.id, rule: parsed.rule, overlapSegmentId });
  },
});
