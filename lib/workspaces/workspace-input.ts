import { z } from "zod";

export const workspaceNameSchema = z
  .string({ error: "Enter a workspace name." })
  .trim()
  .min(2, { error: "Use at least 2 characters." })
  .max(60, { error: "Use at most 60 characters." });
