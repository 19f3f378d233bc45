import { test, expect, type Page } from "@playwright/test";
import { createUser, createWorkspace, membershipRole, SECTIONS_BY_ROLE, sidebarLinks, signIn, sql, uid, userExists } from "./fixtures";

const membersPath = (slug: string) => `/${slug}/settings/members`;

async function memberCount(workspaceId: string): Promise<number> {
  const [row] = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM memberships WHERE workspace_id = $1`, [workspaceId]);
  return row.n;
}

function tableError(page: Page, text: string) {
  return page.getByRole("alert").filter({ hasText: text });
}

test("an admin adds a new person, who signs in with the one-time password", async ({ page, browser }) => {
  const ws = await createWorkspace({ members: [{ role: "admin" }] });
  await signIn(page, ws.member("admin"));
  await page.goto(membersPath(ws.slug));
  await expect(page.getByRole("heading", { name: "1 member" })).toBeVisible();

  const id = uid();
  const typed = `Nina.New-${id}@Example.COM`;
  const email = typed.toLowerCase();
  await page.getByLabel("Email").fill(typed);
  await page.getByLabel("Name (new accounts)").fill("Nina New");
  await page.getByLabel("Role", { exact: true }).selectOption({ label: "Service agent" });
  await page.getByRole("button", { name: "Add member" }).click();

  await expect(page.getByRole("status").filter({ hasText: `${email} added` })).toBeVisible();
  const temporaryPassword = (await page.getByTestId("temporary-password").textContent())?.trim() ?? "";
  expect(temporaryPassword.length).toBeGreaterThanOrEqual(12);
  const row = page.getByTestId(`member-${email}`);
  await expect(row).toContainText("Nina New");
  await expect(page.getByLabel(`Role of ${email}`)).toHaveValue("agent");
  await expect(page.getByRole("heading", { name: "2 members" })).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveValue("");

  const [user] = await sql<{ name: string; password_hash: string }>(`SELECT name, password_hash FROM users WHERE email = $1`, [email]);
  expect(user.name).toBe("Nina New");
  expect(user.password_hash).not.toContain(temporaryPassword);
  expect(await membershipRole(ws.id, email)).toBe("agent");

  const context = await browser.newContext();
  try {
    const newcomer = await context.newPage();
    await signIn(newcomer, { email, password: temporaryPassword }, ws.slug);
    await expect(sidebarLinks(newcomer)).toHaveText(SECTIONS_BY_ROLE.agent);
  } finally {
    await context.close();
  }
});

test("adding an existing account needs no password, and adding a member twice is refused", async ({ page }) => {
  const ws = await createWorkspace({ members: [{ role: "admin" }] });
  const existing = await createUser();
  await signIn(page, ws.member("admin"));
  await page.goto(membersPath(ws.slug));

  await page.getByLabel("Email").fill(existing.email);
  await page.getByLabel("Role", { exact: true }).selectOption("marketer");
  await page.getByRole("button", { name: "Add member" }).click();
  await expect(page.getByRole("status").filter({ hasText: "They can sign in with their existing password." })).toBeVisible();
  await expect(page.getByTestId("temporary-password")).toHaveCount(0);
  await expect(page.getByTestId(`member-${existing.email}`)).toBeVisible();
  expect(await membershipRole(ws.id, existing.email)).toBe("marketer");

  await page.getByLabel("Email").fill(existing.email);
  await page.getByLabel("Role", { exact: true }).selectOption("admin");
  await page.getByRole("button", { name: "Add member" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Already a member." })).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
  expect(await membershipRole(ws.id, existing.email)).toBe("marketer");
  expect(await memberCount(ws.id)).toBe(2);
});

test("an admin changes roles and removes a member through the dialog", async ({ page }) => {
  const ws = await createWorkspace({ members: [{ role: "admin" }, { role: "marketer" }, { role: "agent" }] });
  const marketer = ws.member("marketer");
  const agent = ws.member("agent");
  await signIn(page, ws.member("admin"));
  await page.goto(membersPath(ws.slug));

  await page.getByLabel(`Role of ${marketer.email}`).selectOption({ label: "Service agent" });
  await expect.poll(() => membershipRole(ws.id, marketer.email)).toBe("agent");
  await page.getByLabel(`Role of ${agent.email}`).selectOption("admin");
  await expect.poll(() => membershipRole(ws.id, agent.email)).toBe("admin");
  await page.reload();
  await expect(page.getByLabel(`Role of ${marketer.email}`)).toHaveValue("agent");
  await expect(page.getByLabel(`Role of ${agent.email}`)).toHaveValue("admin");

  // With two admins, one of them may step down.
  await page.getByLabel(`Role of ${agent.email}`).selectOption("marketer");
  await expect.poll(() => membershipRole(ws.id, agent.email)).toBe("marketer");

  // Cancel keeps the member; confirming removes them from the workspace (the account stays).
  // The role change above re-renders the table when its refresh lands: click until the dialog opens.
  const dialog = page.getByRole("dialog");
  await expect(async () => {
    await page.getByRole("button", { name: `Remove ${marketer.email}` }).click();
    await expect(dialog).toBeVisible({ timeout: 1000 });
  }).toPass();
  await expect(dialog).toContainText(`Remove ${marketer.name}?`);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toHaveCount(0);
  expect(await membershipRole(ws.id, marketer.email)).toBe("agent");

  await page.getByRole("button", { name: `Remove ${marketer.email}` }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Remove member" }).click();
  await expect(page.getByTestId(`member-${marketer.email}`)).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "2 members" })).toBeVisible();
  expect(await membershipRole(ws.id, marketer.email)).toBeNull();
  expect(await userExists(marketer.email)).toBe(true);
});

test("the last admin can be neither removed nor demoted", async ({ page }) => {
  const ws = await createWorkspace({ members: [{ role: "admin" }, { role: "marketer" }] });
  const admin = ws.member("admin");
  await signIn(page, admin);
  await page.goto(membersPath(ws.slug));

  await page.getByRole("button", { name: `Remove ${admin.email}` }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Remove member" }).click();
  await expect(tableError(page, "You cannot remove the last admin. Make someone else an admin first.")).toBeVisible();
  await expect(page.getByTestId(`member-${admin.email}`)).toBeVisible();
  expect(await membershipRole(ws.id, admin.email)).toBe("admin");

  await page.getByLabel(`Role of ${admin.email}`).selectOption("marketer");
  await expect(tableError(page, "You cannot change the role of the last admin. Make someone else an admin first.")).toBeVisible();
  await expect(page.getByLabel(`Role of ${admin.email}`)).toHaveValue("admin");
  expect(await membershipRole(ws.id, admin.email)).toBe("admin");
  expect(await memberCount(ws.id)).toBe(2);

  await page.reload();
  await expect(page.getByLabel(`Role of ${admin.email}`)).toHaveValue("admin");
  await expect(page.getByRole("heading", { name: "2 members" })).toBeVisible();
});

test("an invalid email is reported on the field and adds nobody", async ({ page }) => {
  const ws = await createWorkspace({ members: [{ role: "admin" }] });
  await signIn(page, ws.member("admin"));
  await page.goto(membersPath(ws.slug));
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByRole("button", { name: "Add member" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Enter a valid email address, like name@company.com." })).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByTestId("temporary-password")).toHaveCount(0);
  expect(await memberCount(ws.id)).toBe(1);
  expect(await userExists("not-an-email")).toBe(false);
});
