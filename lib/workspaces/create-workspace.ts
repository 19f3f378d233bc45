import type { Prisma } from "@/lib/db/generated/client";
import { db } from "@/lib/db/prisma";
import { slugify } from "@/lib/workspaces/workspace-slug";
import type { WorkspaceRef } from "@/lib/auth/workspace-access";

type Tx = Prisma.TransactionClient;

async function freeSlug(tx: Tx, name: string): Promise<string> {
  const base = slugify(name);
  const taken = new Set(
    (await tx.workspace.findMany({ where: { slug: { startsWith: base } }, select: { slug: true } })).map((w) => w.slug),
  );
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

/** Creates a workspace with `adminUserId` as its first admin, inside the caller's transaction if given. */
export async function createWorkspace(options: { name: string; adminUserId: string; slug?: string; tx?: Tx }): Promise<WorkspaceRef> {
  const work = async (tx: Tx) => {
    const slug = options.slug ?? (await freeSlug(tx, options.name));
    return tx.workspace.create({
      data: { name: options.name, slug, memberships: { create: { userId: options.adminUserId, role: "admin" } } },
      select: { id: true, slug: true, name: true },
    });
  };
  return options.tx ? work(options.tx) : db().$transaction(work);
}
