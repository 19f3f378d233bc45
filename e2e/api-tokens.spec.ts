import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { test, expect, type APIRequestContext, type Page } from "@playwright/test";
import { basicAuth, createWorkspace, recordActions, replayAction, sidebarLinks, signIn, sql, uid } from "./fixtures";

const SHOTS = process.env.E2E_SHOTS_DIR ?? "test-results/screenshots";
const tokensPath = (slug: string) => `/${slug}/settings/api-tokens`;
const traitsPath = (space: string, identifier: string) => `/v1/spaces/${space}/collections/users/profiles/${identifier}/traits`;

function settingsTabs(page: Page) {
  return page.getByRole("navigation", { name: "Settings sections" }).getByRole("link");
}

/** The table row of a token, found by its name. */
function tokenRow(page: Page, name: string) {
  return page.getByRole("row").filter({ has: page.getByRole("cell", { name, exact: true }) });
}

async function profileApi(request: APIRequestContext, token: string, url: string): Promise<{ status: number; body: { error?: { code?: string } } }> {
  const res = await request.get(url, { headers: { Authorization: basicAuth(token) } });
  return { status: res.status(), body: (await res.json()) as { error?: { code?: string } } };
}

interface StoredToken {
  id: string;
  name: string;
  prefix: string;
  token_hash: string;
  created_by_id: string | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

async function tokensOf(workspaceId: string): Promise<StoredToken[]> {
  return sql<StoredToken>(
    `SELECT id::text, name, prefix, token_hash, created_by_id::text, last_used_at, revoked_at FROM api_tokens WHERE workspace_id = $1 ORDER BY created_at`,
    [workspaceId],
  );
}

async function createTokenInUi(page: Page, name: string): Promise<string> {
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByRole("button", { name: "Create token" }).click();
  const panel = page.getByTestId("new-api-token");
  await expect(panel.getByRole("status")).toContainText(`Token “${name}” created`);
  const token = (await panel.getByTestId("api-token-value").textContent())?.trim() ?? "";
  expect(token).toMatch(/^tsr_[A-Za-z0-9]{32}$/);
  await expect(tokenRow(page, name)).toBeVisible();
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue("");
  return token;
}

test("an admin creates a Profile API token, sees it once, uses it, and revokes it", async ({ page, context, baseURL }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  const ws = await createWorkspace({ name: "Northwind Retail", members: [{ role: "admin", name: "Alex Admin" }] });
  const admin = ws.member("admin");
  await signIn(page, admin);

  await page.goto(`/${ws.slug}/settings`);
  await expect(settingsTabs(page)).toHaveText(["General", "Members", "API tokens"]);
  await settingsTabs(page).filter({ hasText: "API tokens" }).click();
  await expect(page).toHaveURL(new RegExp(`/${ws.slug}/settings/api-tokens$`));
  await expect(settingsTabs(page).filter({ hasText: "API tokens" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByText("API tokens let your own servers read customer profiles")).toBeVisible();
  await expect(page.getByRole("heading", { name: "No API tokens yet" })).toBeVisible();

  // Create: the full token is shown once, with a copy button, a warning and a ready curl line.
  const name = `Support desk ${uid()}`;
  const token = await createTokenInUi(page, name);
  const panel = page.getByTestId("new-api-token");
  await expect(panel).toContainText("it will not be shown again");
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, "api-tokens-created.png"), fullPage: true });
  await expect(page.getByRole("heading", { name: "No API tokens yet" })).toHaveCount(0);
  await page.evaluate(() => navigator.clipboard.writeText("clipboard before copying"));
  await panel.getByRole("button", { name: "Copy token" }).click();
  await expect(panel.getByRole("button", { name: "Copied" })).toBeVisible();
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(token);
  const origin = new URL(page.url()).origin;
  const curl = `curl -u '${token}:' ${origin}${traitsPath(ws.slug, "email:jane%40example.com")}`;
  await expect(panel.locator("pre")).toHaveText(curl);
  await panel.getByRole("button", { name: "Copy code" }).click();
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(curl);

  // Stored hashed, with its prefix and creator; the row shows only the prefix.
  const [stored] = await tokensOf(ws.id);
  expect(stored).toMatchObject({ name, prefix: token.slice(0, 8), token_hash: createHash("sha256").update(token).digest("hex"), created_by_id: admin.id, last_used_at: null, revoked_at: null });
  const row = tokenRow(page, name);
  await expect(row.getByRole("cell")).toHaveText([name, `${token.slice(0, 8)}…`, /\w{3} \d{1,2}, \d{4}/, "never", "Active", "Revoke"]);

  // The token works on the Profile API: authenticated, so an unknown profile is a 404 (by slug
  // or by workspace id); a wrong token is a 401.
  const unknown = traitsPath(ws.slug, "user_id:nobody");
  expect(await profileApi(page.request, token, unknown)).toEqual({ status: 404, body: { error: { code: "not_found", message: "Profile was not found." } } });
  expect((await profileApi(page.request, token, traitsPath(ws.id, "user_id:nobody"))).status).toBe(404);
  expect((await profileApi(page.request, token, traitsPath(ws.slug, "email:jane%40example.com"))).status).toBe(404);
  const wrong = await profileApi(page.request, `tsr_${"x".repeat(32)}`, unknown);
  expect(wrong).toMatchObject({ status: 401, body: { error: { code: "authentication_error" } } });
  const unauthenticated = await page.request.get(unknown);
  expect(unauthenticated.status()).toBe(401);

  // After a reload the token is gone from the page for good; the list shows the prefix and the use.
  await page.reload();
  await expect(tokenRow(page, name)).toBeVisible();
  await expect(page.getByTestId("new-api-token")).toHaveCount(0);
  expect(await page.content()).not.toContain(token);
  await expect(tokenRow(page, name).getByRole("cell").nth(1)).toHaveText(`${token.slice(0, 8)}…`);
  await expect(tokenRow(page, name).getByRole("cell").nth(3)).toHaveText(/just now|s ago/);
  expect((await tokensOf(ws.id))[0].last_used_at).not.toBeNull();

  // Revoke, after a confirmation; cancelling first changes nothing.
  await row.getByRole("button", { name: `Revoke ${name}` }).click();
  const dialog = page.getByRole("dialog", { name: `Revoke “${name}”?` });
  await expect(dialog).toContainText(`${token.slice(0, 8)}…`);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  expect((await tokensOf(ws.id))[0].revoked_at).toBeNull();
  await row.getByRole("button", { name: `Revoke ${name}` }).click();
  await dialog.getByRole("button", { name: "Revoke token" }).click();
  await expect(dialog).toBeHidden();
  await expect(row.getByRole("cell").nth(4)).toHaveText("Revoked");
  await expect(row.getByRole("button", { name: `Revoke ${name}` })).toHaveCount(0);
  expect((await tokensOf(ws.id))[0].revoked_at).not.toBeNull();
  // The server caches token lookups for 5 s.
  await expect.poll(async () => (await profileApi(page.request, token, unknown)).status, { timeout: 15_000, intervals: [500] }).toBe(401);

  // A second token: the page with one active and one revoked token, for review.
  const second = `Personalisation service ${uid()}`;
  const secondToken = await createTokenInUi(page, second);
  expect(secondToken).not.toBe(token);
  expect((await profileApi(page.request, secondToken, unknown)).status).toBe(404);
  await page.reload();
  await expect(page.getByRole("heading", { name: "1 active token" })).toBeVisible();
  await expect(tokenRow(page, second).getByRole("cell").nth(4)).toHaveText("Active");
  await expect(tokenRow(page, name).getByRole("cell").nth(4)).toHaveText("Revoked");
  await expect(tokenRow(page, second).getByRole("cell").nth(3)).toHaveText(/just now|s ago/);
  await page.screenshot({ path: path.join(SHOTS, "api-tokens.png"), fullPage: true });
});

test("a token needs a name: an empty one is refused with an inline error", async ({ page }) => {
  const ws = await createWorkspace({ members: [{ role: "admin" }] });
  await signIn(page, ws.member("admin"));
  await page.goto(tokensPath(ws.slug));
  const input = page.getByLabel("Name", { exact: true });
  const message = "Give the token a name, e.g. the system that will use it.";

  for (const value of ["", "   "]) {
    await input.fill(value);
    await page.getByRole("button", { name: "Create token" }).click();
    await expect(page.getByRole("alert").filter({ hasText: message })).toBeVisible();
    await expect(input).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByTestId("new-api-token")).toHaveCount(0);
  }
  expect(await tokensOf(ws.id)).toHaveLength(0);
  await expect(page.getByRole("heading", { name: "No API tokens yet" })).toBeVisible();

  // Fixing the name clears the error.
  await input.fill("Data warehouse sync");
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByTestId("new-api-token")).toBeVisible();
  await expect(page.getByRole("alert").filter({ hasText: message })).toHaveCount(0);
  await expect(input).not.toHaveAttribute("aria-invalid", "true");
  expect((await tokensOf(ws.id)).map((t) => t.name)).toEqual(["Data warehouse sync"]);
});

test("a marketer sees no API tokens tab, gets the forbidden page, and cannot create tokens by replaying the action", async ({ browser }) => {
  const ws = await createWorkspace({ members: [{ role: "admin" }, { role: "marketer" }] });
  const adminContext = await browser.newContext();
  const marketerContext = await browser.newContext();
  try {
    const marketer = await marketerContext.newPage();
    await signIn(marketer, ws.member("marketer"));
    await expect(sidebarLinks(marketer).filter({ hasText: "Settings" })).toHaveCount(0);
    const res = await marketer.goto(tokensPath(ws.slug));
    expect(res?.status()).toBe(403);
    await expect(marketer.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
    await expect(marketer.getByRole("navigation", { name: "Settings sections" })).toHaveCount(0);
    await expect(marketer.getByRole("link", { name: "API tokens" })).toHaveCount(0);

    // The admin's create-token request, replayed from the marketer's session, is refused.
    const admin = await adminContext.newPage();
    const actions = recordActions(admin);
    await signIn(admin, ws.member("admin"));
    await admin.goto(tokensPath(ws.slug));
    const name = `Admin token ${uid()}`;
    await createTokenInUi(admin, name);
    const create = (await actions()).find((a) => a.body.includes(name));
    expect(create, "the create-token action was captured").toBeTruthy();
    const replayed = await replayAction(marketerContext.request, create!, [[name, "Marketer token"]]);
    expect(replayed.body).toContain('"code":"forbidden"');
    expect(replayed.body).not.toContain("tsr_");
    expect((await tokensOf(ws.id)).map((t) => t.name)).toEqual([name]);
  } finally {
    await Promise.all([adminContext.close(), marketerContext.close()]);
  }
});
