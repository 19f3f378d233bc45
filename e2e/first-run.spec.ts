// Runs first (project "first-run"), on the empty database: the one-time setup page.
import fs from "node:fs";
import path from "node:path";
import { test, expect, type Page } from "@playwright/test";
import { recordActions, replayAction, SECTIONS_BY_ROLE, sidebar, sidebarLinks, sql, uid, type CapturedAction } from "./fixtures";

test.describe.configure({ mode: "serial" });

const ADMIN = { name: "Ada First", email: `first-admin-${uid()}@example.com`, password: "correct-horse-battery", workspace: "Acme Corp" };
const SLUG = "acme-corp";
const SHOTS = process.env.E2E_SHOTS_DIR ?? "test-results/screenshots";

type SetupValues = { name: string; email: string; password: string; confirmPassword: string; workspaceName: string };
const VALID: SetupValues = { name: ADMIN.name, email: ADMIN.email, password: ADMIN.password, confirmPassword: ADMIN.password, workspaceName: ADMIN.workspace };

async function submitSetup(page: Page, values: SetupValues) {
  await page.getByLabel("Your name").fill(values.name);
  await page.getByLabel("Email").fill(values.email);
  await page.getByLabel("Password", { exact: true }).fill(values.password);
  await page.getByLabel("Confirm password").fill(values.confirmPassword);
  await page.getByLabel("Workspace name").fill(values.workspaceName);
  await page.getByRole("button", { name: "Create admin account" }).click();
}

async function userCount(): Promise<number> {
  const [row] = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM users`);
  return row.n;
}

let setupAction: CapturedAction | undefined;

test("an empty installation sends every visitor to setup", async ({ page }) => {
  expect(await userCount(), "the first-run project needs an empty database").toBe(0);
  await page.goto("/");
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByRole("heading", { name: "Welcome to Tessera" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Create admin account" })).toBeEnabled();
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, "setup.png"), fullPage: true }); // for review, see screenshots.spec.ts
  await page.goto("/login");
  await expect(page).toHaveURL(/\/setup$/);
});

test("setup rejects invalid input field by field and creates nothing", async ({ page }) => {
  await page.goto("/setup");

  await submitSetup(page, { ...VALID, email: "not-an-email" });
  await expect(page.getByRole("alert").filter({ hasText: "Enter a valid email address, like name@company.com." })).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");

  await submitSetup(page, { ...VALID, password: "short", confirmPassword: "short" });
  await expect(page.getByRole("alert").filter({ hasText: "Use at least 10 characters." })).toBeVisible();
  await expect(page.getByLabel("Password", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Email")).not.toHaveAttribute("aria-invalid", "true");

  await submitSetup(page, { ...VALID, confirmPassword: `${ADMIN.password}-typo` });
  await expect(page.getByRole("alert").filter({ hasText: "The passwords do not match." })).toBeVisible();
  await expect(page.getByLabel("Confirm password")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Password", { exact: true })).not.toHaveAttribute("aria-invalid", "true");

  await expect(page).toHaveURL(/\/setup$/);
  expect(await userCount()).toBe(0);
  expect(await sql(`SELECT 1 FROM workspaces`)).toHaveLength(0);
});

test("setup creates the admin and the workspace and signs the admin in", async ({ page }) => {
  const actions = recordActions(page);
  await page.goto("/setup");
  await submitSetup(page, VALID);

  await expect(page).toHaveURL(new RegExp(`/${SLUG}$`));
  await expect(page.getByRole("heading", { level: 1, name: ADMIN.workspace })).toBeVisible();
  await expect(sidebarLinks(page)).toHaveText(SECTIONS_BY_ROLE.admin);
  await expect(sidebar(page).getByTestId("user-name")).toHaveText(ADMIN.name);
  await expect(sidebar(page).getByRole("button", { name: `Workspace: ${ADMIN.workspace}` })).toBeVisible();

  const rows = await sql<{ email: string; name: string; role: string; slug: string; workspace: string }>(
    `SELECT u.email, u.name, m.role::text AS role, w.slug, w.name AS workspace
     FROM users u JOIN memberships m ON m.user_id = u.id JOIN workspaces w ON w.id = m.workspace_id`,
  );
  expect(rows).toEqual([{ email: ADMIN.email, name: ADMIN.name, role: "admin", slug: SLUG, workspace: ADMIN.workspace }]);

  // The signed-in admin goes from / straight to the workspace.
  await page.goto("/");
  await expect(page).toHaveURL(new RegExp(`/${SLUG}$`));

  const posted = await actions();
  setupAction = posted.find((a) => a.body.includes(ADMIN.email));
  expect(setupAction, "the setup form submits a server action carrying the email").toBeTruthy();
});

test("setup works only once: the page says so and a replayed action is refused", async ({ page, browser }) => {
  await page.goto("/setup");
  await expect(page.getByRole("heading", { name: "Tessera is already set up" })).toBeVisible();
  await expect(page.getByLabel("Password")).toHaveCount(0);

  // Replay the captured action from a fresh, signed-out browser context for another admin.
  const attacker = await browser.newContext();
  try {
    const second = { email: `second-admin-${uid()}@example.com`, workspace: `Evil Corp ${uid()}` };
    const res = await replayAction(attacker.request, setupAction!, [
      [ADMIN.email, second.email],
      [ADMIN.workspace, second.workspace],
    ]);
    // The action itself answered (not a page render): its typed error, with the refusal message.
    expect(res.body).toContain('"code":"forbidden"');
    expect(res.body).toContain("Tessera is already set up. Sign in, or ask an admin to add you.");
    expect(await sql(`SELECT 1 FROM users WHERE email = $1`, [second.email])).toHaveLength(0);
    expect(await sql(`SELECT 1 FROM workspaces WHERE name = $1`, [second.workspace])).toHaveLength(0);
    expect(await userCount()).toBe(1);
    // And no session was handed out.
    expect((await attacker.cookies()).map((c) => c.name)).not.toContain("__Secure-authjs.session-token");
  } finally {
    await attacker.close();
  }
});
