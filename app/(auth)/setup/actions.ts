"use server";

import { signIn } from "@/lib/auth/auth";
import { publicAction } from "@/lib/auth/authorized-action";
import { createFirstAdmin } from "@/lib/setup/create-first-admin";
import { setupSchema } from "@/lib/setup/setup-input";

// Public by nature (there is no account yet); createFirstAdmin refuses once any account exists.
export const completeSetup = publicAction({
  input: setupSchema,
  run: async ({ name, email, password, workspaceName }) => {
    const workspace = await createFirstAdmin({ name, email, password, workspaceName });
    await signIn("credentials", { email, password, redirectTo: `/${workspace.slug}` });
  },
});
