import { CredentialsSignin } from "next-auth";
import { z } from "zod";
import { db } from "@/lib/db/prisma";
import { burnPasswordCheck, verifyPassword } from "@/lib/auth/password";
import { clearLimits, loginLimits, recordFailure, retryAfter } from "@/lib/auth/rate-limit";

export class RateLimitedSignIn extends CredentialsSignin {
  code = "rate_limited";
}

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().max(320),
  password: z.string().max(1024),
});

export interface SignedInUser {
  id: string;
  email: string;
  name: string;
}

/**
 * Checks an email + password. Unknown user, wrong password and disabled account all return null,
 * so the caller shows one generic message. Too many failures throw RateLimitedSignIn.
 */
export async function authorizeCredentials(raw: unknown, ip: string): Promise<SignedInUser | null> {
  const parsed = credentialsSchema.safeParse(raw);
  if (!parsed.success || !parsed.data.email || !parsed.data.password) return null;
  const { email, password } = parsed.data;
  const limits = loginLimits(email, ip);
  if ((await retryAfter(limits)) > 0) throw new RateLimitedSignIn();

  const user = await db().user.findUnique({
    where: { email },
    select: { id: true, email: true, name: true, passwordHash: true, disabledAt: true },
  });
  if (!user) {
    await burnPasswordCheck(password);
    await recordFailure(limits);
    return null;
  }
  const valid = await verifyPassword(user.passwordHash, password);
  if (!valid || user.disabledAt) {
    await recordFailure(limits);
    return null;
  }
  await clearLimits([limits[0].key]);
  await db().user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
  return { id: user.id, email: user.email, name: user.name };
}
