import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/prisma";
import { closePool } from "@/lib/db/pool";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { addMember } from "@/lib/members/add-member";
import { changeMemberRole } from "@/lib/members/change-member-role";
import { removeMember } from "@/lib/members/remove-member";
import { listMembers } from "@/lib/members/list-members";

afterAll(() => closePool());

const uid = () => randomBytes(4).toString("hex");

async function user(label: string) {
  return db().user.create({ data: { email: `${label}-${uid()}@test.dev`, name: label, passwordHash: await hashPassword("password-123") }, select: { id: true, email: true } });
}

async function workspaceWithAdmin() {
  const admin = await user("admin");
  const workspace = await createWorkspace({ name: `Members ${uid()}`, adminUserId: admin.id });
  return { admin, workspace };
}

async function roleOf(workspaceId: string, userId: string) {
  return (await db().membership.findUnique({ where: { workspaceId_userId: { workspaceId, userId } } }))?.role ?? null;
}

describe("members", () => {
  it("makes the workspace creator its admin", async () => {
    const { admin, workspace } = await workspaceWithAdmin();
    expect(await roleOf(workspace.id, admin.id)).toBe("admin");
  });

  it("adds an existing account with the chosen role, and refuses a duplicate", async () => {
    const { workspace } = await workspaceWithAdmin();
    const agent = await user("agent");
    const result = await addMember({ workspaceId: workspace.id, email: agent.email, role: "agent" });
    expect(result).toEqual({ userId: agent.id, email: agent.email, temporaryPassword: null });
    expect(await roleOf(workspace.id, agent.id)).toBe("agent");
    await expect(addMember({ workspaceId: workspace.id, email: agent.email, role: "marketer" })).rejects.toMatchObject({ code: "conflict" });
    expect(await roleOf(workspace.id, agent.id)).toBe("agent");
  });

  it("creates a new account with a one-time password that works and is stored hashed", async () => {
    const { workspace } = await workspaceWithAdmin();
    const email = `new-${uid()}@test.dev`;
    const result = await addMember({ workspaceId: workspace.id, email, role: "marketer", name: "Nia New" });
    expect(result.temporaryPassword).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const stored = await db().user.findUniqueOrThrow({ where: { email } });
    expect(stored.name).toBe("Nia New");
    expect(stored.passwordHash).not.toContain(result.temporaryPassword!);
    expect(await verifyPassword(stored.passwordHash, result.temporaryPassword!)).toBe(true);
  });

  it("changes roles, but never demotes the last admin", async () => {
    const { admin, workspace } = await workspaceWithAdmin();
    const other = await user("other");
    await addMember({ workspaceId: workspace.id, email: other.email, role: "agent" });

    await expect(changeMemberRole({ workspaceId: workspace.id, userId: admin.id, role: "marketer" })).rejects.toMatchObject({ code: "conflict", message: expect.stringMatching(/last admin/) });
    expect(await roleOf(workspace.id, admin.id)).toBe("admin");

    await changeMemberRole({ workspaceId: workspace.id, userId: other.id, role: "admin" });
    await changeMemberRole({ workspaceId: workspace.id, userId: admin.id, role: "marketer" });
    expect(await roleOf(workspace.id, admin.id)).toBe("marketer");
    expect(await roleOf(workspace.id, other.id)).toBe("admin");
  });

  it("removes members, but never the last admin", async () => {
    const { admin, workspace } = await workspaceWithAdmin();
    const agent = await user("agent");
    await addMember({ workspaceId: workspace.id, email: agent.email, role: "agent" });

    await expect(removeMember({ workspaceId: workspace.id, userId: admin.id })).rejects.toMatchObject({ code: "conflict" });
    await removeMember({ workspaceId: workspace.id, userId: agent.id });
    expect((await listMembers({ workspaceId: workspace.id })).map((m) => m.userId)).toEqual([admin.id]);
  });

  it("keeps one admin when two admins demote each other at the same time", async () => {
    const { admin, workspace } = await workspaceWithAdmin();
    const second = await user("second");
    await addMember({ workspaceId: workspace.id, email: second.email, role: "admin" });

    const results = await Promise.allSettled([
      changeMemberRole({ workspaceId: workspace.id, userId: admin.id, role: "agent" }),
      changeMemberRole({ workspaceId: workspace.id, userId: second.id, role: "agent" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const roles = [await roleOf(workspace.id, admin.id), await roleOf(workspace.id, second.id)];
    expect(roles.filter((r) => r === "admin")).toHaveLength(1);
  });

  it("only touches the given workspace", async () => {
    const a = await workspaceWithAdmin();
    const b = await workspaceWithAdmin();
    const shared = await user("shared");
    await addMember({ workspaceId: a.workspace.id, email: shared.email, role: "agent" });
    await addMember({ workspaceId: b.workspace.id, email: shared.email, role: "marketer" });
    await removeMember({ workspaceId: a.workspace.id, userId: shared.id });
    expect(await roleOf(a.workspace.id, shared.id)).toBeNull();
    expect(await roleOf(b.workspace.id, shared.id)).toBe("marketer");
    await expect(removeMember({ workspaceId: a.workspace.id, userId: b.admin.id })).rejects.toMatchObject({ code: "not_found" });
  });
});
