import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/prisma";
import { closePool } from "@/lib/db/pool";
import { useFreshDatabase } from "@/lib/db/test-database";
import { createFirstAdmin, isSetupComplete } from "@/lib/setup/create-first-admin";
import { isDemoSeeded, seedDemo, DEMO_USERS } from "@/lib/seed/seed-demo";

let drop: () => Promise<void>;
beforeAll(async () => {
  ({ drop } = await useFreshDatabase());
});
afterAll(async () => {
  await closePool();
  await drop();
});

describe("first-run setup", () => {
  it("creates exactly one first admin, even when submitted twice at once", async () => {
    expect(await isSetupComplete()).toBe(false);
    const attempt = (email: string) => createFirstAdmin({ name: "First", email, password: "correct-horse-battery", workspaceName: "Acme Corp" });
    const results = await Promise.allSettled([attempt("one@acme.test"), attempt("two@acme.test")]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "forbidden" } });
    expect(await db().user.count()).toBe(1);
    const membership = await db().membership.findFirstOrThrow({ include: { workspace: true } });
    expect(membership).toMatchObject({ role: "admin", workspace: { slug: "acme-corp", name: "Acme Corp" } });
    expect(await isSetupComplete()).toBe(true);
  });

  it("is refused once an admin exists", async () => {
    await expect(createFirstAdmin({ name: "Late", email: "late@acme.test", password: "correct-horse-battery", workspaceName: "Other" })).rejects.toMatchObject({ code: "forbidden" });
    expect(await db().user.count({ where: { email: "late@acme.test" } })).toBe(0);
  });
});

describe("demo seed", () => {
  it("seeds once and is not repeated", async () => {
    expect(await isDemoSeeded()).toBe(false);
    expect(await seedDemo()).toBe("seeded");
    const users = await db().user.count({ where: { email: { in: DEMO_USERS.map((u) => u.email) } } });
    expect(users).toBe(3);
    await db().workspace.delete({ where: { slug: "demo" } });
    expect(await seedDemo()).toBe("already-seeded");
    expect(await db().workspace.count({ where: { slug: "demo" } })).toBe(0);
  });
});
