"use server";

import { AuthError, CredentialsSignin } from "next-auth";
import { headers } from "next/headers";
import { z } from "zod";
import { signIn } from "@/lib/auth/auth";
import { publicAction } from "@/lib/auth/authorized-action";
import { clientIp } from "@/lib/auth/client-ip";
import { formatWait, loginLimits, retryAfter } from "@/lib/auth/rate-limit";
import { safeRedirectPath } from "@/lib/auth/safe-redirect";
import { AppError } from "@/lib/errors";

export const signInWithPassword = publicAction({
  input: z.object({
    email: z.string().trim().min(1, { error: "Enter your email address." }),
    password: z.string().min(1, { error: "Enter your password." }),
    callbackUrl: z.string().optional(),
  }),
  run: async ({ email, password, callbackUrl }) => {
    try {
      await signIn("credentials", { email, password, redirectTo: safeRedirectPath(callbackUrl) });
    } catch (err) {
      if (err instanceof CredentialsSignin && err.code === "rate_limited") {
        const wait = await retryAfter(loginLimits(email, clientIp(await headers())));
        throw new AppError("rate_limited", `Too many sign-in attempts. Try again in ${formatWait(wait || 60)}.`);
      }
      // One message for unknown account, wrong password and disabled account.
      if (err instanceof AuthError) throw new AppError("unauthenticated", "The email or password is incorrect.");
      throw err;
    }
  },
});
