import { randomUUID } from "node:crypto";
import { test, expect, type Page } from "@playwright/test";
import {
  createSource,
  createWorkspace,
  debuggerRow,
  eventsOf,
  recordActions,
  rejectionsOf,
  replayAction,
  sendTracking,
  signIn,
  sql,
  trackStatus,
  uid,
  writeKeysOf,
} from "./fixtures";

const sourcesPath = (slug: string) => `/${slug}/sources`;
const sourcePath = (slug: string, id: string, tab = "") => `/${slug}/sources/${id}${tab ? `/${tab}` : ""}`;

/** The value of one of the Overview's tiles ("Accepted, 24 h", …). */
function tile(page: Page, label: string) {
  return page.locator("dl > div").filter({ has: page.locator("dt", { hasText: label }) }).locator("dd");
}

function sourceTabs(page: Page) {
  return page.getByRole("navigation", { name: "Source sections" }).getByRole("link");
}

async function expectForbidden(page: Page, path: string) {
  const res = await page.goto(path);
  expect(res?.status(), path).toBe(403);
  await expect(page.getByRole("heading", { name: "You don't have access to this page" }), path).toBeVisible();
}

// "not a url" is split on whitespace into three entries, each reported with this message.
const originError = (page: Page) => page.getByText("Use an origin like https://www.example.com (scheme and host, no path).").first();

/** Marks the document so a later check can tell whether the page was reloaded in between. */
async function markDocument(page: Page) {
  await page.evaluate(() => ((window as unknown as { __e2eMark?: string }).__e2eMark = "still-the-same-document"));
}
async function expectSameDocument(page: Page) {
  expect(await page.evaluate(() => (window as unknown as { __e2eMark?: string }).__e2eMark)).toBe("still-the-same-document");
}

test("an admin creates a website source, copies its key and watches events arrive in the live debugger", async ({ page, context, baseURL }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  const ws = await createWorkspace({ members: [{ role: "admin" }] });
  await signIn(page, ws.member("admin"));

  await page.goto(sourcesPath(ws.slug));
  await expect(page.getByText("No sources yet")).toBeVisible();
  await page.getByRole("link", { name: "New source" }).click();
  await expect(page).toHaveURL(new RegExp(`/${ws.slug}/sources/new$`));
  for (const label of ["Website", "Server", "Mobile app", "File import"]) await expect(page.getByRole("radio", { name: label })).toBeVisible();
  await page.getByRole("radio", { name: "Server" }).check();
  await page.getByRole("radio", { name: "Website" }).check();
  const name = `Online shop ${uid()}`;
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Create source" }).click();

  await expect(page).toHaveURL(new RegExp(`/${ws.slug}/sources/[0-9a-f-]{36}/setup$`));
  const sourceId = new URL(page.url()).pathname.split("/")[3];
  const [stored] = await sql<{ name: string; kind: string; enabled: boolean }>(`SELECT name, kind::text, enabled FROM sources WHERE id = $1 AND workspace_id = $2`, [sourceId, ws.id]);
  expect(stored).toEqual({ name, kind: "website", enabled: true });
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  for (const tab of ["Overview", "Setup", "Settings"]) await expect(sourceTabs(page).filter({ hasText: tab })).toHaveCount(1);

  // The key on the page is the source's only key; "Copy key" puts exactly it on the clipboard.
  const keys = await writeKeysOf(sourceId);
  expect(keys).toHaveLength(1);
  expect(keys[0].expires_at).toBeNull();
  const writeKey = keys[0].key;
  expect(writeKey).toMatch(/^[A-Za-z0-9]{32}$/);
  await expect(page.getByTestId("write-key")).toHaveText(writeKey);
  await page.evaluate(() => navigator.clipboard.writeText("clipboard before copying"));
  await page.getByRole("button", { name: "Copy key" }).click();
  await expect(page.getByRole("button", { name: "Copied" })).toBeVisible();
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(writeKey);
  // The ready-made snippets carry the same key and this host.
  await expect(page.locator("pre").first()).toContainText(writeKey);
  await expect(page.getByRole("button", { name: "Copy code" }).first()).toBeVisible();

  // Overview before any traffic.
  await sourceTabs(page).filter({ hasText: "Overview" }).click();
  await expect(page).toHaveURL(new RegExp(`/sources/${sourceId}$`));
  await expect(page.getByTestId("debugger-empty")).toBeVisible();
  await expect(tile(page, "Accepted, 24 h")).toHaveText("0");
  await expect(tile(page, "Rejected, 24 h")).toHaveText("0");
  await expect(tile(page, "Last event")).toHaveText("never");
  await markDocument(page);

  // An event sent with the copied key shows up in the debugger without a reload.
  const userId = `user-${uid()}`;
  const messageId = `msg-${randomUUID()}`;
  const sent = await sendTracking(page.request, writeKey, "/v1/track", { userId, event: "Order Completed", messageId, properties: { total: 42.5 } });
  expect(sent).toEqual({ status: 200, body: { success: true } });
  const row = debuggerRow(page, `Order Completed · ${userId}`);
  await expect(row).toBeVisible();
  await expect(page.getByTestId("debugger-empty")).toHaveCount(0);
  await expect(row.locator("pre")).toBeHidden();
  await row.getByTestId("debugger-summary").click();
  const json = row.locator("pre");
  await expect(json).toBeVisible();
  await expect(json).toContainText('"event": "Order Completed"');
  await expect(json).toContainText(`"messageId": "${messageId}"`);
  await expect(json).toContainText('"total": 42.5');
  await expectSameDocument(page);

  const events = await eventsOf(sourceId);
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({ message_id: messageId, type: "track", event: "Order Completed", user_id: userId });

  // A batch with one good and one broken message: the good one is stored, the other is shown
  // in the debugger as rejected, with the reason.
  const batch = await sendTracking(page.request, writeKey, "/v1/batch", {
    batch: [
      { type: "track", userId, event: "Checkout Started", properties: { step: 1 } },
      { type: "track", userId, properties: { step: 2 } },
    ],
  });
  expect(batch.status).toBe(400);
  expect(batch.body).toMatchObject({ success: false, error: { code: "invalid_messages", field: "batch[1].event", accepted: 1, rejected: [{ index: 1, field: "batch[1].event" }] } });
  const reason = "batch[1].event: is required for track and must be a non-empty string";
  const rejectedRow = debuggerRow(page, reason);
  await expect(rejectedRow).toBeVisible();
  await expect(rejectedRow.getByText("rejected", { exact: true })).toBeVisible();
  await expect(debuggerRow(page, `Checkout Started · ${userId}`)).toBeVisible();
  await expect(debuggerRow(page, `Checkout Started · ${userId}`).getByText("rejected", { exact: true })).toHaveCount(0);
  await rejectedRow.getByTestId("debugger-summary").click();
  await expect(rejectedRow.locator("pre")).toContainText('"step": 2');
  // The first row stays expanded while the list keeps refreshing.
  await expect(row.locator("pre")).toBeVisible();
  await expectSameDocument(page);

  expect((await eventsOf(sourceId)).map((e) => e.event)).toEqual(["Order Completed", "Checkout Started"]);
  const rejections = await rejectionsOf(sourceId);
  expect(rejections).toHaveLength(1);
  expect(rejections[0]).toMatchObject({ field: "batch[1].event", reason: "is required for track and must be a non-empty string" });

  // The counters on the Overview and on the list reflect the traffic.
  await page.reload();
  await expect(tile(page, "Accepted, 24 h")).toHaveText("2");
  await expect(tile(page, "Rejected, 24 h")).toHaveText("1");
  await expect(tile(page, "Last event")).not.toHaveText("never");
  await page.goto(sourcesPath(ws.slug));
  const listRow = page.getByRole("row").filter({ has: page.getByRole("link", { name }) });
  await expect(listRow.getByRole("cell")).toHaveText([name, "Website", "2", "1", /just now|s ago/]);
  await listRow.getByRole("link", { name }).click();
  await expect(page).toHaveURL(new RegExp(`/sources/${sourceId}$`));
});

test("creating a source without a name is refused on the field", async ({ page }) => {
  const ws = await createWorkspace({ members: [{ role: "admin" }] });
  await signIn(page, ws.member("admin"));
  await page.goto(`${sourcesPath(ws.slug)}/new`);
  await page.getByLabel("Name").fill(" ");
  await page.getByRole("button", { name: "Create source" }).click();
  await expect(page.getByText("Use at least 2 characters.")).toBeVisible();
  await expect(page.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(new RegExp(`/sources/new$`));
  expect(await sql(`SELECT 1 FROM sources WHERE workspace_id = $1`, [ws.id])).toHaveLength(0);
});

test("rotating the write key keeps the old key for the grace period, or stops it at once", async ({ page }) => {
  const ws = await createWorkspace({ members: [{ role: "admin" }] });
  const source = await createSource(ws.id);
  const first = source.writeKey;
  expect(await trackStatus(page.request, first)).toBe(200);
  await signIn(page, ws.member("admin"));
  await page.goto(sourcePath(ws.slug, source.id, "settings"));
  await expect(page.getByTestId("rotated-keys")).toHaveCount(0);

  // Rotation with a one-hour grace period.
  const grace = page.getByLabel("Old key keeps working for");
  await expect(grace).toHaveValue("24");
  await expect(grace.locator("option")).toHaveText(["Stop the old key now", "1 hour", "24 hours", "7 days", "30 days"]);
  await grace.selectOption("1");
  const startedAt = Date.now();
  await page.getByRole("button", { name: "Rotate key" }).click();
  await expect(page.getByText("New key issued")).toBeVisible();
  const second = (await page.getByTestId("new-write-key").textContent())?.trim() ?? "";
  expect(second).toMatch(/^[A-Za-z0-9]{32}$/);
  expect(second).not.toBe(first);

  const afterFirst = await writeKeysOf(source.id);
  expect(afterFirst.map((k) => k.key)).toEqual([second, first]);
  expect(afterFirst[0].expires_at).toBeNull();
  const oldEnds = afterFirst[1].expires_at!.getTime();
  expect(oldEnds).toBeGreaterThanOrEqual(startedAt + 3600_000 - 5_000);
  expect(oldEnds).toBeLessThanOrEqual(Date.now() + 3600_000 + 5_000);
  await expect(page.getByTestId("rotated-keys")).toContainText(`${first.slice(0, 6)}…${first.slice(-4)}`);

  expect(await trackStatus(page.request, second)).toBe(200);
  expect(await trackStatus(page.request, first)).toBe(200);
  // Setup now shows the new key.
  await page.goto(sourcePath(ws.slug, source.id, "setup"));
  await expect(page.getByTestId("write-key")).toHaveText(second);

  // A second rotation that stops the older keys at once.
  await page.goto(sourcePath(ws.slug, source.id, "settings"));
  await expect(page.getByTestId("new-write-key")).toHaveCount(0);
  await page.getByLabel("Old key keeps working for").selectOption("0");
  await page.getByRole("button", { name: "Rotate key" }).click();
  await expect(page.getByTestId("new-write-key")).toBeVisible();
  const third = (await page.getByTestId("new-write-key").textContent())?.trim() ?? "";
  expect(third).toMatch(/^[A-Za-z0-9]{32}$/);
  expect([first, second]).not.toContain(third);
  await expect(page.getByTestId("rotated-keys")).toHaveCount(0);

  const afterSecond = await writeKeysOf(source.id);
  expect(afterSecond[0]).toEqual({ key: third, expires_at: null });
  for (const k of afterSecond.slice(1)) expect(k.expires_at!.getTime()).toBeLessThanOrEqual(Date.now());

  // The server caches keys for up to 5 s.
  await expect.poll(() => trackStatus(page.request, second), { timeout: 10_000 }).toBe(401);
  await expect.poll(() => trackStatus(page.request, first), { timeout: 10_000 }).toBe(401);
  expect(await trackStatus(page.request, third)).toBe(200);
  const refused = await sendTracking(page.request, second, "/v1/track", { userId: "u", event: "Too Late" });
  expect(refused).toMatchObject({ status: 401, body: { success: false, error: { code: "invalid_write_key" } } });
  expect((await eventsOf(source.id)).filter((e) => e.event === "Too Late")).toHaveLength(0);

  await page.goto(sourcePath(ws.slug, source.id, "setup"));
  await expect(page.getByTestId("write-key")).toHaveText(third);
});

test("a disabled source refuses its key until it is enabled again", async ({ page }) => {
  const ws = await createWorkspace({ members: [{ role: "admin" }] });
  const source = await createSource(ws.id, { kind: "server" });
  expect(await trackStatus(page.request, source.writeKey)).toBe(200);
  await signIn(page, ws.member("admin"));
  await page.goto(sourcePath(ws.slug, source.id, "settings"));
  await expect(page.getByText("Receiving", { exact: true })).toBeVisible();

  await page.getByRole("button", { name: "Disable source" }).click();
  await expect(page.getByRole("button", { name: "Enable source" })).toBeVisible();
  await expect(page.getByText("Disabled", { exact: true })).toBeVisible();
  expect((await sql<{ enabled: boolean }>(`SELECT enabled FROM sources WHERE id = $1`, [source.id]))[0].enabled).toBe(false);
  await expect.poll(() => trackStatus(page.request, source.writeKey), { timeout: 10_000 }).toBe(401);
  const refused = await sendTracking(page.request, source.writeKey, "/v1/track", { userId: "u", event: "While Disabled" });
  expect(refused).toMatchObject({ status: 401, body: { error: { code: "source_disabled" } } });
  expect((await eventsOf(source.id)).filter((e) => e.event === "While Disabled")).toHaveLength(0);

  // The list marks it too.
  await page.goto(sourcesPath(ws.slug));
  await expect(page.getByRole("row").filter({ hasText: source.name })).toContainText("disabled");

  await page.goto(sourcePath(ws.slug, source.id, "settings"));
  await page.getByRole("button", { name: "Enable source" }).click();
  await expect(page.getByRole("button", { name: "Disable source" })).toBeVisible();
  await expect(page.getByText("Receiving", { exact: true })).toBeVisible();
  expect((await sql<{ enabled: boolean }>(`SELECT enabled FROM sources WHERE id = $1`, [source.id]))[0].enabled).toBe(true);
  await expect.poll(() => trackStatus(page.request, source.writeKey), { timeout: 10_000 }).toBe(200);
});

test("allowed browser origins: other origins get 403, invalid entries are refused on the field", async ({ page }) => {
  const ws = await createWorkspace({ members: [{ role: "admin" }] });
  const source = await createSource(ws.id);
  // No list yet: any origin may send.
  expect(await trackStatus(page.request, source.writeKey, { Origin: "https://evil.example" })).toBe(200);
  await signIn(page, ws.member("admin"));
  await page.goto(sourcePath(ws.slug, source.id, "settings"));

  const origins = page.getByLabel("Allowed origins");
  await origins.fill("https://shop.example");
  await page.getByRole("button", { name: "Save origins" }).click();
  await expect(page.getByText("Origins saved.")).toBeVisible();
  expect((await sql<{ allowed_origins: string[] }>(`SELECT allowed_origins FROM sources WHERE id = $1`, [source.id]))[0].allowed_origins).toEqual(["https://shop.example"]);

  await expect.poll(() => trackStatus(page.request, source.writeKey, { Origin: "https://evil.example" }), { timeout: 10_000 }).toBe(403);
  const refused = await sendTracking(page.request, source.writeKey, "/v1/track", { userId: "u", event: "From Evil" }, { Origin: "https://evil.example" });
  expect(refused).toMatchObject({ status: 403, body: { error: { code: "origin_not_allowed" } } });
  const allowed = await sendTracking(page.request, source.writeKey, "/v1/track", { userId: "u", event: "From Shop" }, { Origin: "https://shop.example" });
  expect(allowed).toEqual({ status: 200, body: { success: true } });
  // Servers send no Origin header and are not affected.
  expect(await trackStatus(page.request, source.writeKey)).toBe(200);
  expect((await eventsOf(source.id)).map((e) => e.event).filter((e) => e?.startsWith("From "))).toEqual(["From Shop"]);

  // The saved list is shown after a reload; an invalid entry is refused and changes nothing.
  await page.reload();
  await expect(origins).toHaveValue("https://shop.example");
  await origins.fill("https://shop.example\nnot a url");
  await page.getByRole("button", { name: "Save origins" }).click();
  await expect(originError(page)).toBeVisible();
  await expect(origins).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("Origins saved.")).toHaveCount(0);
  await origins.fill("https://shop.example/checkout");
  await page.getByRole("button", { name: "Save origins" }).click();
  await expect(originError(page)).toBeVisible();
  expect((await sql<{ allowed_origins: string[] }>(`SELECT allowed_origins FROM sources WHERE id = $1`, [source.id]))[0].allowed_origins).toEqual(["https://shop.example"]);
});

test("a marketer sees sources read-only; an agent has no access to them", async ({ browser, request }) => {
  const ws = await createWorkspace({ members: [{ role: "admin" }, { role: "marketer" }, { role: "agent" }] });
  const source = await createSource(ws.id, { name: `Checkout service ${uid()}`, kind: "server" });
  expect((await sendTracking(request, source.writeKey, "/v1/track", { userId: "user-7", event: "Order Completed" })).status).toBe(200);

  const marketerContext = await browser.newContext();
  const agentContext = await browser.newContext();
  try {
    const marketer = await marketerContext.newPage();
    await signIn(marketer, ws.member("marketer"));
    await marketer.goto(sourcesPath(ws.slug));
    await expect(marketer.getByRole("heading", { level: 1, name: "Sources" })).toBeVisible();
    await expect(marketer.getByRole("link", { name: source.name })).toBeVisible();
    await expect(marketer.getByRole("link", { name: "New source" })).toHaveCount(0);

    await marketer.getByRole("link", { name: source.name }).click();
    await expect(marketer).toHaveURL(new RegExp(`/sources/${source.id}$`));
    await expect(sourceTabs(marketer).filter({ hasText: "Overview" })).toHaveCount(1);
    await expect(sourceTabs(marketer).filter({ hasText: "Setup" })).toHaveCount(1);
    await expect(sourceTabs(marketer).filter({ hasText: "Settings" })).toHaveCount(0);
    await expect(debuggerRow(marketer, "Order Completed · user-7")).toBeVisible();
    await sourceTabs(marketer).filter({ hasText: "Setup" }).click();
    await expect(marketer.getByTestId("write-key")).toHaveText(source.writeKey);

    await expectForbidden(marketer, sourcePath(ws.slug, source.id, "settings"));
    await expectForbidden(marketer, `${sourcesPath(ws.slug)}/new`);

    const agent = await agentContext.newPage();
    await signIn(agent, ws.member("agent"));
    await expectForbidden(agent, sourcesPath(ws.slug));
    await expectForbidden(agent, sourcePath(ws.slug, source.id));
    await expectForbidden(agent, sourcePath(ws.slug, source.id, "setup"));
    const feed = await agent.request.get(`/api/workspaces/${ws.slug}/sources/${source.id}/activity`);
    expect(feed.status()).toBe(403);
    expect(await feed.text()).not.toContain("Order Completed");
    // Control: the same feed answers the marketer.
    const marketerFeed = await marketer.request.get(`/api/workspaces/${ws.slug}/sources/${source.id}/activity`);
    expect(marketerFeed.status()).toBe(200);
    expect(await marketerFeed.text()).toContain("Order Completed");
  } finally {
    await Promise.all([marketerContext.close(), agentContext.close()]);
  }
});

test("the rotate and disable actions check the caller's role, not just the UI", async ({ browser }) => {
  const ws = await createWorkspace({ members: [{ role: "admin" }, { role: "marketer" }] });
  const source = await createSource(ws.id);
  const adminContext = await browser.newContext();
  const marketerContext = await browser.newContext();
  try {
    const admin = await adminContext.newPage();
    const actions = recordActions(admin);
    await signIn(admin, ws.member("admin"));
    await admin.goto(sourcePath(ws.slug, source.id, "settings"));
    await admin.getByRole("button", { name: "Rotate key" }).click();
    await expect(admin.getByTestId("new-write-key")).toBeVisible();
    await admin.getByRole("button", { name: "Disable source" }).click();
    await expect(admin.getByRole("button", { name: "Enable source" })).toBeVisible();
    await admin.getByRole("button", { name: "Enable source" }).click();
    await expect(admin.getByRole("button", { name: "Disable source" })).toBeVisible();
    const captured = await actions();
    const rotate = captured.find((a) => a.body.includes('"graceHours"'));
    const disable = captured.find((a) => a.body.includes('"enabled":false'));
    expect(rotate, "the rotate action was captured").toBeTruthy();
    expect(disable, "the disable action was captured").toBeTruthy();
    expect(await writeKeysOf(source.id)).toHaveLength(2);

    const marketer = await marketerContext.newPage();
    await signIn(marketer, ws.member("marketer"));
    const rotated = await replayAction(marketerContext.request, rotate!, []);
    expect(rotated.body).toContain('"code":"forbidden"');
    expect(await writeKeysOf(source.id)).toHaveLength(2);
    const disabled = await replayAction(marketerContext.request, disable!, []);
    expect(disabled.body).toContain('"code":"forbidden"');
    expect((await sql<{ enabled: boolean }>(`SELECT enabled FROM sources WHERE id = $1`, [source.id]))[0].enabled).toBe(true);

    // Control: the admin's own replay works, so the refusals come from the role check.
    const again = await replayAction(adminContext.request, rotate!, []);
    expect(again.body).toContain('"ok":true');
    expect(await writeKeysOf(source.id)).toHaveLength(3);
  } finally {
    await Promise.all([adminContext.close(), marketerContext.close()]);
  }
});

test("a marketer in a workspace without sources is told to ask an admin", async ({ page }) => {
  const ws = await createWorkspace({ members: [{ role: "admin" }, { role: "marketer" }] });
  await signIn(page, ws.member("marketer"));
  await page.goto(sourcesPath(ws.slug));
  await expect(page.getByText("No sources yet")).toBeVisible();
  await expect(page.getByText("Ask an admin to create the first source.")).toBeVisible();
  await expect(page.getByRole("link", { name: "New source" })).toHaveCount(0);
});

test("a source of another workspace is not found", async ({ page }) => {
  const ws = await createWorkspace({ members: [{ role: "admin" }] });
  const other = await createWorkspace({ members: [{ role: "admin" }] });
  const foreign = await createSource(other.id);
  const secretEvent = `Foreign Event ${uid()}`;
  expect((await sendTracking(page.request, foreign.writeKey, "/v1/track", { userId: "u", event: secretEvent })).status).toBe(200);
  await signIn(page, ws.member("admin"));
  for (const tab of ["", "setup", "settings"]) {
    const res = await page.goto(sourcePath(ws.slug, foreign.id, tab));
    expect(res?.status(), tab).toBe(404);
    await expect(page.getByTestId("write-key")).toHaveCount(0);
    await expect(page.getByText(foreign.name)).toHaveCount(0);
  }
  const feed = await page.request.get(`/api/workspaces/${ws.slug}/sources/${foreign.id}/activity`);
  expect(await feed.text()).not.toContain(secretEvent);
});
