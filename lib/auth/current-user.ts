import { auth } from "@/lib/auth/auth";
import { db } from "@/lib/db/prisma";

export interface CurrentUser {
  id: string;
  email: string;
  name: string;
}

/** The signed-in user, re-read from the database so a disabled or deleted account is out at once. */
export async function currentUser(): Promise<CurrentUser | null> {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  const user = await db().user.findUnique({ where: { id }, select: { id: true, email: true, name: true, disabledAt: true } });
  if (!user || user.disabledAt) return null;
  return { id: user.id, email: user.email, name: user.name };
}
