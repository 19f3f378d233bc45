import { test, expect, type Page } from "@playwright/test";
import { createWorkspace, membershipRole, recordActions, replayAction, sidebarLinks, signIn, uniqueEmail, userExists, type Role, type TestWorkspace } from "./fixtures";

async function expectForbidden(page: Page, path: string) {
  const res = await page.goto(path);
  expect(res?.status(), path).toBe(403);
  await expect(page.getByRole("heading", { name: "You don't have access to this page" }), path).toBeVisible();
}

async function expectNotFound(page: Page, path: string) {
  const res = await page.goto(path);
  expect(res?.status(), path).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" }), path).toBeVisible();
  // Nothing of the other workspace leaks into the page.
  await expect(page.locator('aside[aria-label="Workspace navigation"]'), path).toHaveCount(0);
}

const FORBIDDEN_PATHS: Record<Exclude<Role, "admin">, string[]> = {
  marketer: ["/settings", "/settings/members", "/settings/api-tokens", "/governance"],
  agent: ["/settings", "/settings/members", "/settings/api-tokens", "/sources", "/destinations", "/identity", "/governance"],
};

for (const role of ["agent", "marketer"] as const) {
  test(`a ${role} gets 403 on the sections the role lacks and sees no link to them`, async ({ page }) => {
    const ws = await createWorkspace({ members: [{ role: "admin" }, { role }] });
    await signIn(page, ws.member(role));
    await expect(sidebarLinks(page).filter({ hasText: "Settings" })).toHaveCount(0);
    for (const path of FORBIDDEN_PATHS[role]) await expectForbidden(page, `/${ws.slug}${path}`);
    // The sections the role has still open.
    const res = await page.goto(`/${ws.slug}/profiles`);
    expect(res?.status()).toBe(200);
    await expect(page.getByRole("heading", { level: 1, name: "Profiles" })).toBeVisible();
  });
}

test.describe("server actions check the caller's role, not just the UI", () => {
  let ws: TestWorkspace;
  test.beforeEach(async () => {
    ws = await createWorkspace({ members: [{ role: "admin" }, { role: "marketer" }, { role: "agent" }] });
  });

  test("an agent or marketer replaying the admin's add-member action is refused", async ({ browser }) => {
    // The admin adds a member through the UI; the action request is recorded.
    const adminContext = await browser.newContext();
    const agentContext = await browser.newContext();
    const marketerContext = await browser.newContext();
    try {
      const admin = await adminContext.newPage();
      const actions = recordActions(admin);
      await signIn(admin, ws.member("admin"));
      await admin.goto(`/${ws.slug}/settings/members`);
      const added = uniqueEmail("added");
      await admin.getByLabel("Email").fill(added);
      await admin.getByRole("button", { name: "Add member" }).click();
      await expect(admin.getByTestId(`member-${added}`)).toBeVisible();
      expect(await membershipRole(ws.id, added)).toBe("marketer");
      const addAction = (await actions()).find((a) => a.body.includes(added));
      expect(addAction, "the add-member action was captured").toBeTruthy();

      // The same request from the agent's and the marketer's sessions, for other emails.
      for (const [role, context] of [["agent", agentContext], ["marketer", marketerContext]] as const) {
        const page = await context.newPage();
        await signIn(page, ws.member(role));
        const target = uniqueEmail(`via-${role}`);
        const res = await replayAction(context.request, addAction!, [[added, target], ['"marketer"', '"admin"']]);
        expect(res.body, role).toContain('"code":"forbidden"');
        expect(res.body, role).not.toContain('"ok":true');
        expect(await membershipRole(ws.id, target), role).toBeNull();
        expect(await userExists(target), role).toBe(false);
      }

      // Control: the very same replay from the admin's session works, so the refusals above come
      // from the role check and not from a malformed request.
      const control = uniqueEmail("via-admin");
      const ok = await replayAction(adminContext.request, addAction!, [[added, control]]);
      expect(ok.body).toContain('"ok":true');
      expect(await membershipRole(ws.id, control)).toBe("marketer");
    } finally {
      await Promise.all([adminContext.close(), agentContext.close(), marketerContext.close()]);
    }
  });

  test("an admin of one workspace cannot add members to another workspace by action", async ({ page }) => {
    const other = await createWorkspace({ members: [{ role: "admin" }] });
    const actions = recordActions(page);
    await signIn(page, ws.member("admin"));
    await page.goto(`/${ws.slug}/settings/members`);
    const added = uniqueEmail("added");
    await page.getByLabel("Email").fill(added);
    await page.getByRole("button", { name: "Add member" }).click();
    await expect(page.getByTestId(`member-${added}`)).toBeVisible();
    const addAction = (await actions()).find((a) => a.body.includes(added));
    expect(addAction).toBeTruthy();

    const target = uniqueEmail("cross");
    const res = await replayAction(page.request, addAction!, [
      [added, target],
      [`"${ws.slug}"`, `"${other.slug}"`],
    ]);
    expect(res.body).toContain('"code":"not_found"');
    expect(await membershipRole(other.id, target)).toBeNull();
    expect(await userExists(target)).toBe(false);
  });
});

test("a member of workspace A gets 404 for workspace B's pages", async ({ page }) => {
  const a = await createWorkspace({ members: [{ role: "admin" }] });
  const b = await createWorkspace({ members: [{ role: "admin" }] });
  await signIn(page, a.member("admin"));
  for (const path of [`/${b.slug}`, `/${b.slug}/settings/members`, `/${b.slug}/profiles`, `/${b.slug}/settings`]) {
    await expectNotFound(page, path);
    await expect(page.getByText(b.name)).toHaveCount(0);
  }
  // The same 404 as a workspace that does not exist at all, so B's existence is not revealed.
  await expectNotFound(page, `/no-such-workspace-${a.slug}`);
});
