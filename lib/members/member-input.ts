import { z } from "zod";
import { ROLES } from "@/lib/auth/permissions";

export const emailSchema = z
  .string({ error: "Enter an email address." })
  .trim()
  .toLowerCase()
  .max(320, { error: "That email address is too long." })
  .pipe(z.email({ error: "Enter a valid email address, like name@company.com." }));

export const roleSchema = z.enum(ROLES, { error: "Choose a role: admin, marketer or agent." });
