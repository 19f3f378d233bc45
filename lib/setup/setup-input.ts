import { z } from "zod";
import { PASSWORD_MIN_LENGTH } from "@/lib/auth/password";
import { emailSchema } from "@/lib/members/member-input";
import { workspaceNameSchema } from "@/lib/workspaces/workspace-input";

export const passwordSchema = z
  .string({ error: "Choose a password." })
  .min(PASSWORD_MIN_LENGTH, { error: `Use at least ${PASSWORD_MIN_LENGTH} characters.` })
  .max(256, { error: "Use at most 256 characters." });

export const setupSchema = z
  .object({
    name: z.string().trim().min(1, { error: "Enter your name." }).max(100, { error: "Use at most 100 characters." }),
    email: emailSchema,
    password: passwordSchema,
    confirmPassword: z.string(),
    workspaceName: workspaceNameSchema,
  })
  .refine((v) => v.password === v.confirmPassword, { path: ["confirmPassword"], error: "The passwords do not match." });
