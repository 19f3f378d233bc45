// Screenshots of the main screens for review, in test-results/screenshots/ (override with
// E2E_SHOTS_DIR). Each is taken only after the page is checked to have rendered.
import fs from "node:fs";
import path from "node:path";
import { test, expect } from "@playwright/test";
import { createWorkspace, sidebarLinks, signIn } from "./fixtures";

const DIR = process.env.E2E_SHOTS_DIR ?? "test-results/screenshots";
const shot = (name: string) => path.join(DIR, `${name}.png`);

test.beforeAll(() => {
  fs.mkdirSync(DIR, { recursive: true });
});

test("desktop screens", async ({ page, browser }) => {
  const ws = await createWorkspace({ name: "Northwind Retail", members: [{ role: "admin", name: "Alex Admin" }, { role: "marketer", name: "Morgan Marketer" }, { role: "agent", name: "Sasha Agent" }] });

  await page.goto("/login");
  await expect(page.getByRole("heading", { name: "Sign in to Tessera" })).toBeVisible();
  await page.screenshot({ path: shot("login"), fullPage: true });

  await page.goto("/setup");
  await expect(page.getByRole("heading", { name: "Tessera is already set up" })).toBeVisible();
  await page.screenshot({ path: shot("setup-done"), fullPage: true });

  await signIn(page, ws.member("admin"));
  await expect(page.getByRole("heading", { level: 1, name: ws.name })).toBeVisible();
  await expect(sidebarLinks(page)).toHaveCount(8);
  await page.screenshot({ path: shot("overview-admin"), fullPage: true });

  await page.goto(`/${ws.slug}/settings/members`);
  await expect(page.getByRole("heading", { name: "3 members" })).toBeVisible();
  await page.screenshot({ path: shot("members"), fullPage: true });

  await page.goto(`/${ws.slug}/sources`);
  await expect(page.getByRole("heading", { name: "No sources yet" })).toBeVisible();
  await page.screenshot({ path: shot("sources-empty"), fullPage: true });

  const agentContext = await browser.newContext();
  try {
    const agent = await agentContext.newPage();
    await signIn(agent, ws.member("agent"));
    await agent.goto(`/${ws.slug}/settings`);
    await expect(agent.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
    await agent.screenshot({ path: shot("forbidden-agent"), fullPage: true });
  } finally {
    await agentContext.close();
  }
});

test("mobile overview with the navigation drawer open", async ({ browser }) => {
  const ws = await createWorkspace({ name: "Northwind Mobile", members: [{ role: "admin", name: "Alex Admin" }] });
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  try {
    const page = await context.newPage();
    await page.goto("/login");
    await page.getByLabel("Email").fill(ws.member("admin").email);
    await page.getByLabel("Password").fill(ws.member("admin").password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(new RegExp(`/${ws.slug}$`));
    await expect(page.getByRole("heading", { level: 1, name: ws.name })).toBeVisible();
    // The desktop sidebar is hidden below md; the top bar opens a drawer with the same sections.
    await expect(page.locator('aside[aria-label="Workspace navigation"]')).toBeHidden();
    await page.screenshot({ path: shot("mobile-overview") });
    await page.getByRole("button", { name: "Open navigation" }).click();
    const drawer = page.getByRole("dialog", { name: "Navigation" });
    await expect(drawer).toBeVisible();
    await expect(drawer.getByRole("navigation", { name: "Workspace" }).getByRole("link")).toHaveCount(8);
    await page.screenshot({ path: shot("mobile-drawer-open") });

    // Following a link closes the drawer.
    await drawer.getByRole("link", { name: "Profiles" }).click();
    await expect(page).toHaveURL(new RegExp(`/${ws.slug}/profiles$`));
    await expect(page.getByRole("heading", { level: 1, name: "Profiles" })).toBeVisible();
    await expect(drawer).toHaveCount(0);
  } finally {
    await context.close();
  }
});
