import { test, expect, type Page } from "@playwright/test";
import { createWorkspace, membershipRole, SECTIONS_BY_ROLE, sidebar, sidebarLinks, signIn, sql, uid } from "./fixtures";

function switcher(page: Page) {
  return sidebar(page).getByRole("button", { name: /^Workspace: / });
}

test("an admin creates a second workspace and switches between them", async ({ page }) => {
  const first = await createWorkspace({ name: `Alpha ${uid()}`, members: [{ role: "admin" }] });
  const admin = first.member("admin");
  await signIn(page, admin);

  // From the switcher's "New workspace" item.
  await switcher(page).click();
  await page.getByRole("menuitem", { name: "New workspace" }).click();
  await expect(page).toHaveURL(/\/workspaces\/new$/);

  await page.getByLabel("Workspace name").fill("Z");
  await page.getByRole("button", { name: "Create workspace" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Use at least 2 characters." })).toBeVisible();

  const id = uid();
  const secondName = `Zeta Europe ${id}`;
  const secondSlug = `zeta-europe-${id}`;
  await page.getByLabel("Workspace name").fill(secondName);
  await page.getByRole("button", { name: "Create workspace" }).click();
  await expect(page).toHaveURL(new RegExp(`/${secondSlug}$`));
  await expect(page.getByRole("heading", { level: 1, name: secondName })).toBeVisible();
  await expect(switcher(page)).toHaveAccessibleName(`Workspace: ${secondName}. Switch workspace`);
  await expect(sidebarLinks(page)).toHaveText(SECTIONS_BY_ROLE.admin);
  const [created] = await sql<{ id: string }>(`SELECT id::text FROM workspaces WHERE slug = $1`, [secondSlug]);
  expect(created, "workspace row").toBeTruthy();
  expect(await membershipRole(created.id, admin.email)).toBe("admin");

  // The switcher lists both workspaces as links; picking one opens it.
  await switcher(page).click();
  const menu = page.getByRole("menu");
  await expect(menu.getByRole("menuitem", { name: first.name })).toHaveAttribute("href", `/${first.slug}`);
  await expect(menu.getByRole("menuitem", { name: secondName })).toHaveAttribute("href", `/${secondSlug}`);
  await menu.getByRole("menuitem", { name: first.name }).click();
  await expect(page).toHaveURL(new RegExp(`/${first.slug}$`));
  await expect(page.getByRole("heading", { level: 1, name: first.name })).toBeVisible();
  await expect(switcher(page)).toHaveAccessibleName(`Workspace: ${first.name}. Switch workspace`);

  // Every workspace of the user is listed from every workspace (not a list cached from before
  // the second one existed).
  await switcher(page).click();
  await expect(page.getByRole("menu").getByRole("menuitem", { name: first.name })).toBeVisible();
  await expect(page.getByRole("menu").getByRole("menuitem", { name: secondName }), "switcher lists the new workspace").toBeVisible();
  await page.getByRole("menu").getByRole("menuitem", { name: secondName }).click();
  await expect(page).toHaveURL(new RegExp(`/${secondSlug}$`));
  await expect(page.getByRole("heading", { level: 1, name: secondName })).toBeVisible();
});

test("an admin renames the workspace; the address stays the same", async ({ page }) => {
  const ws = await createWorkspace({ members: [{ role: "admin" }] });
  await signIn(page, ws.member("admin"));
  await sidebarLinks(page).filter({ hasText: "Settings" }).click();
  await expect(page).toHaveURL(new RegExp(`/${ws.slug}/settings$`));

  const field = page.getByLabel("Workspace name");
  await expect(field).toHaveValue(ws.name);
  const renamed = `Renamed ${uid()}`;
  await field.fill(renamed);
  await page.getByRole("button", { name: "Save name" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Workspace renamed to ${renamed}.` })).toBeVisible();
  await expect(switcher(page)).toHaveAccessibleName(`Workspace: ${renamed}. Switch workspace`);

  const [row] = await sql<{ name: string; slug: string }>(`SELECT name, slug FROM workspaces WHERE id = $1`, [ws.id]);
  expect(row).toEqual({ name: renamed, slug: ws.slug });

  await sidebarLinks(page).filter({ hasText: "Overview" }).click();
  await expect(page).toHaveURL(new RegExp(`/${ws.slug}$`));
  await expect(page.getByRole("heading", { level: 1, name: renamed })).toBeVisible();

  // An invalid name is refused and changes nothing.
  await page.goto(`/${ws.slug}/settings`);
  await page.getByLabel("Workspace name").fill(" ");
  await page.getByRole("button", { name: "Save name" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Use at least 2 characters." })).toBeVisible();
  expect((await sql<{ name: string }>(`SELECT name FROM workspaces WHERE id = $1`, [ws.id]))[0].name).toBe(renamed);
});

test("every sidebar link of an admin opens a working page", async ({ page }) => {
  const ws = await createWorkspace({ members: [{ role: "admin" }] });
  await signIn(page, ws.member("admin"));

  // What each section shows on a fresh workspace: its h1 and its empty-state (or first section) heading.
  const expected: Record<string, { h1: string; h2: string }> = {
    Overview: { h1: ws.name, h2: "Getting started" },
    Sources: { h1: "Sources", h2: "No sources yet" },
    Profiles: { h1: "Profiles", h2: "No profiles yet" },
    Segments: { h1: "Segments", h2: "No segments yet" },
    Destinations: { h1: "Destinations", h2: "No destinations yet" },
    Identity: { h1: "Identity", h2: "Identifier priority" },
    Governance: { h1: "Governance", h2: "Nothing to govern yet" },
    Settings: { h1: "Settings", h2: "Workspace name" },
  };
  const links = sidebarLinks(page);
  await expect(links).toHaveText(Object.keys(expected));
  const targets = await links.evaluateAll((els) => els.map((a) => ({ label: a.textContent?.trim() ?? "", href: a.getAttribute("href") ?? "" })));

  for (const { label, href } of targets) {
    const want = expected[label];
    // A full page load answers 200 …
    const res = await page.goto(href);
    expect(res?.status(), href).toBe(200);
    await expect(page.getByRole("heading", { level: 1 }), href).toHaveText(want.h1);
    await expect(page.getByRole("heading", { level: 2, name: want.h2 }), href).toBeVisible();
    await expect(sidebarLinks(page).filter({ hasText: label }), href).toHaveAttribute("aria-current", "page");
  }

  // … and client-side navigation through the sidebar reaches the same pages.
  await page.goto(`/${ws.slug}`);
  for (const { label, href } of targets.slice().reverse()) {
    await sidebarLinks(page).filter({ hasText: label }).click();
    await expect(page, label).toHaveURL(new RegExp(`${href}$`));
    await expect(page.getByRole("heading", { level: 1 }), label).toHaveText(expected[label].h1);
    await expect(page.getByRole("heading", { level: 2, name: expected[label].h2 }), label).toBeVisible();
  }
});
