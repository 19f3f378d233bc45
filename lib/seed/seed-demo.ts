// The demo workspace a newcomer meets on the first `npm start`. Seeded once: the marker in
// system_settings keeps a later start (or a deleted demo workspace) from seeding again.
import { db } from "@/lib/db/prisma";
import { hashPassword } from "@/lib/auth/password";
import type { Role } from "@/lib/auth/permissions";
import { generateWriteKey } from "@/lib/sources/generate-write-key";
import type { SourceKind } from "@/lib/sources/source-input";

export const DEMO_PASSWORD = "tessera-demo";
export const DEMO_WORKSPACE = { slug: "demo", name: "Demo Store" };
export const DEMO_USERS: { email: string; name: string; role: Role }[] = [
  { email: "admin@demo.tessera.dev", name: "Ada Admin", role: "admin" },
  { email: "marketer@demo.tessera.dev", name: "Mia Marketer", role: "marketer" },
  { email: "agent@demo.tessera.dev", name: "Sam Agent", role: "agent" },
];
export const DEMO_SOURCES: { name: string; kind: SourceKind }[] = [
  { name: "Online shop", kind: "website" },
  { name: "Checkout service", kind: "server" },
  { name: "Shop app", kind: "mobile" },
  { name: "CRM export", kind: "file" },
];
const MARKER = "demo_seeded_at";

export async function isDemoSeeded(): Promise<boolean> {
  return (await db().systemSetting.count({ where: { key: MARKER } })) > 0;
}

export async function seedDemo(options: { force?: boolean } = {}): Promise<"seeded" | "already-seeded"> {
  if (!options.force && (await isDemoSeeded())) return "already-seeded";
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await db().$transaction(async (tx) => {
    const workspace = await tx.workspace.upsert({
      where: { slug: DEMO_WORKSPACE.slug },
      create: DEMO_WORKSPACE,
      update: {},
      select: { id: true },
    });
    for (const u of DEMO_USERS) {
      const user = await tx.user.upsert({
        where: { email: u.email },
        create: { email: u.email, name: u.name, passwordHash },
        update: {},
        select: { id: true },
      });
      await tx.membership.upsert({
        where: { workspaceId_userId: { workspaceId: workspace.id, userId: user.id } },
        create: { workspaceId: workspace.id, userId: user.id, role: u.role },
        update: {},
      });
    }
    if ((await tx.source.count({ where: { workspaceId: workspace.id } })) === 0) {
      for (const s of DEMO_SOURCES) {
        await tx.source.create({ data: { workspaceId: workspace.id, name: s.name, kind: s.kind, writeKeys: { create: { key: generateWriteKey() } } } });
      }
    }
    await tx.systemSetting.upsert({
      where: { key: MARKER },
      create: { key: MARKER, value: new Date().toISOString() },
      update: { value: new Date().toISOString() },
    });
  });
  return "seeded";
}

/** The demo Website source's current write key, for the first-run hint. */
export async function demoWebsiteKey(): Promise<string | null> {
  const key = await db().sourceWriteKey.findFirst({
    where: { expiresAt: null, source: { kind: "website", workspace: { slug: DEMO_WORKSPACE.slug } } },
    orderBy: { createdAt: "asc" },
    select: { key: true },
  });
  return key?.key ?? null;
}
