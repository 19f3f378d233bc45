// Segments: a marketer builds a nested audience (partly from the keyboard) while the live estimate
// follows, saves it, and sees exactly the matching people and the size history; invalid rules show
// their problems and are not saved; an agent can look but not change, and the server refuses them.
// Screenshots for review in test-results/segments-*.png.
import { test, expect, type APIRequestContext, type Page } from "@playwright/test";
import { createSource, createWorkspace, recordActions, replayAction, sendTracking, signIn, sql, uid, type TestSource, type TestWorkspace } from "./fixtures";

// Playwright empties test-results/ at the start of every run; E2E_SHOTS_DIR keeps them elsewhere for review.
const SHOTS = process.env.E2E_SHOTS_DIR ?? "test-results";
const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();

interface Shop {
  ws: TestWorkspace;
  source: TestSource;
  names: Record<"ann" | "ben" | "cleo" | "dirk" | "eva", string>;
}

/**
 * Five people: Ann (DE, 2 orders this month) and Ben (DE, plan pro, no orders) belong in the
 * segment; Cleo (DE, 1 order), Dirk (FR, 3 orders) and Eva (DE, 2 orders 40 days ago) do not.
 */
async function seedShop(request: APIRequestContext): Promise<Shop> {
  const ws = await createWorkspace({ name: "Northwind Retail", members: [{ role: "marketer" }, { role: "agent" }] });
  const source = await createSource(ws.id, { name: "Web shop", kind: "server" });
  const tag = uid();
  const names = { ann: `Ann Adler ${tag}`, ben: `Ben Becker ${tag}`, cleo: `Cleo Conrad ${tag}`, dirk: `Dirk Dubois ${tag}`, eva: `Eva Engel ${tag}` };
  const people = [
    { key: "ann", traits: { country: "DE", plan: "free" }, orders: [3, 12] },
    { key: "ben", traits: { country: "DE", plan: "pro" }, orders: [] },
    { key: "cleo", traits: { country: "DE", plan: "free" }, orders: [5] },
    { key: "dirk", traits: { country: "FR", plan: "pro" }, orders: [1, 2, 4] },
    { key: "eva", traits: { country: "DE", plan: "free" }, orders: [40, 41] },
  ] as const;
  const batch = people.flatMap((p) => {
    const userId = `${p.key}-${tag}`;
    return [
      { type: "identify", userId, traits: { name: names[p.key], email: `${p.key}.${tag}@example.com`, ...p.traits }, timestamp: daysAgo(60) },
      ...p.orders.map((d, i) => ({ type: "track", userId, event: "Order Completed", properties: { order_id: `${p.key}-${i}`, total: 40 + i * 30, currency: "EUR" }, timestamp: daysAgo(d) })),
    ];
  });
  const res = await sendTracking(request, source.writeKey, "/v1/batch", { batch });
  expect(res, JSON.stringify(res.body)).toMatchObject({ status: 200 });
  await expect
    .poll(
      async () => {
        const [row] = await sql<{ people: number; orders: number }>(
          `SELECT (SELECT count(*) FROM profiles WHERE workspace_id = $1 AND merged_into_id IS NULL AND traits ? 'country')::int AS people,
                  (SELECT coalesce(sum(count), 0) FROM profile_event_days WHERE workspace_id = $1 AND event = 'Order Completed')::int AS orders`,
          [ws.id],
        );
        return row;
      },
      { timeout: 30_000, message: "the pipeline builds the five profiles and counts their orders" },
    )
    .toEqual({ people: 5, orders: 8 });
  return { ws, source, names };
}

const condition = (page: Page, n: string) => page.getByRole("group", { name: `Condition ${n}`, exact: true });
const estimate = (page: Page) => page.getByTestId("estimate-count");

async function segmentCount(workspaceId: string): Promise<number> {
  const [row] = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM segments WHERE workspace_id = $1`, [workspaceId]);
  return row.n;
}

test("a marketer builds a nested segment with the keyboard, sees the estimate follow, saves it and sees its members; an agent can only look", async ({ page, browser }) => {
  const shop = await seedShop(page.request);
  const { ws, names } = shop;
  await signIn(page, ws.member("marketer"));
  await page.goto(`/${ws.slug}/segments`);
  await expect(page.getByRole("navigation", { name: "Audiences" }).getByRole("link", { name: "Segments" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("heading", { name: "No segments yet" })).toBeVisible();
  await page.getByRole("link", { name: "New segment" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "New segment" })).toBeVisible();
  await expect(page.getByTestId("estimate-invalid")).toContainText("Fix the rule to see an estimate");

  await page.getByLabel("Name", { exact: true }).fill("Repeat buyers in Germany");
  // Root AND: country is DE (the key picker shows what it has seen).
  await condition(page, "1").getByLabel("Trait key, condition 1").fill("country");
  await expect(condition(page, "1")).toContainText("e.g. DE, FR");
  await condition(page, "1").getByLabel("Trait, condition 1, value", { exact: true }).fill("DE");
  await expect(estimate(page)).toHaveText("4");
  await expect(page.getByTestId("estimate-share")).toHaveText("80%");

  // An OR group, built from the keyboard: the new group's first condition takes focus.
  await page.getByRole("button", { name: "Add group", exact: true }).focus();
  await page.keyboard.press("Enter");
  const kind21 = page.getByLabel("Condition 2.1 kind");
  await expect(kind21).toBeFocused();
  await kind21.selectOption("event");
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Event name, condition 2.1")).toBeFocused();
  await page.keyboard.type("Order Completed");
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("How often, condition 2.1")).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Times, condition 2.1")).toBeFocused();
  await page.keyboard.press("Control+A");
  await page.keyboard.type("2");
  await page.keyboard.press("Tab");
  const when = page.getByLabel("When, condition 2.1");
  await expect(when).toBeFocused();
  await when.selectOption("last_days");
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Days, condition 2.1")).toBeFocused();
  await expect(page.getByLabel("Days, condition 2.1")).toHaveValue("30");
  // DE and 2+ orders in 30 days: Ann only.
  await expect(estimate(page)).toHaveText("1");

  await page.getByRole("button", { name: "Add condition to group 2" }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByLabel("Condition 2.2 kind")).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Trait key, condition 2.2")).toBeFocused();
  await page.keyboard.type("plan");
  await page.getByLabel("Trait, condition 2.2, value", { exact: true }).fill("pro");
  await expect(estimate(page)).toHaveText("2");
  await expect(page.getByTestId("estimate-sample")).toContainText(names.ann);
  await expect(page.getByTestId("estimate-sample")).toContainText(names.ben);
  await expect(page.getByTestId("estimate-sample").getByRole("link", { name: names.ann })).toHaveAttribute("href", new RegExp(`^/${ws.slug}/profiles/[0-9a-f-]{36}$`));
  await page.screenshot({ path: `${SHOTS}/segments-builder.png`, fullPage: true });

  const actions = recordActions(page);
  await page.getByRole("button", { name: "Save segment" }).click();
  await expect(page).toHaveURL(new RegExp(`/${ws.slug}/segments/[0-9a-f-]{36}$`));
  const segmentUrl = new URL(page.url()).pathname;
  await expect(page.getByRole("heading", { level: 1, name: "Repeat buyers in Germany" })).toBeVisible();
  await expect(page.getByTestId("rule-in-words")).toHaveText("People whose country is DE and (who performed Order Completed at least 2 times in the last 30 days or whose plan is pro)");
  await expect(page.getByTestId("member-count")).toHaveText("2");
  const rows = page.getByTestId("member-row");
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: names.ann })).toHaveCount(1);
  await expect(rows.filter({ hasText: names.ben })).toHaveCount(1);
  for (const other of [names.cleo, names.dirk, names.eva]) await expect(page.getByText(other)).toHaveCount(0);
  // Marketers see emails masked.
  await expect(rows.filter({ hasText: names.ann })).toContainText("a•••@example.com");
  await expect(page.getByTestId("size-chart")).toBeVisible();
  await expect(page.getByTestId("size-chart").locator(".recharts-area")).toHaveCount(1);
  // Created today: today's size is a visible dot, and the page says when the history starts.
  await expect(page.getByTestId("size-chart").locator(".recharts-area-dots circle").first()).toBeVisible();
  await expect(page.getByTestId("size-chart")).toHaveAttribute("aria-label", /now 2/);
  await expect(page.getByTestId("history-note")).toContainText("History starts");
  await expect(page.getByTestId("changes-chart")).toBeVisible();
  await expect(page.getByRole("link", { name: "Edit" })).toBeVisible();

  // Members search and the CSV export.
  await page.getByLabel("Search members").fill("ben");
  await page.getByLabel("Search members").press("Enter");
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText(names.ben);
  const csv = await page.request.get(`/api/workspaces/${ws.slug}/segments/${segmentUrl.split("/").pop()}/members`);
  expect(csv.status()).toBe(200);
  const lines = (await csv.text()).trim().split("\r\n");
  expect(lines[0]).toBe("profile_id,name,email,entered_at");
  expect(lines.slice(1).map((l) => l.split(",")[1]).sort()).toEqual([names.ann, names.ben]);
  await page.goto(segmentUrl);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: `${SHOTS}/segments-page.png`, fullPage: true });

  // The list shows it with its size.
  await page.goto(`/${ws.slug}/segments`);
  const row = page.getByTestId("segment-row").filter({ hasText: "Repeat buyers in Germany" });
  await expect(row).toContainText("2");

  const captured = await actions();
  const create = captured.find((a) => a.body.includes("Repeat buyers in Germany"));
  expect(create, "the save was a server action").toBeDefined();

  // An agent sees segments read-only; the server refuses their writes on its own.
  const agentContext = await browser.newContext();
  try {
    const agent = await agentContext.newPage();
    await signIn(agent, ws.member("agent"));
    await agent.goto(`/${ws.slug}/segments`);
    await expect(agent.getByTestId("segment-row")).toHaveCount(1);
    await expect(agent.getByRole("link", { name: "New segment" })).toHaveCount(0);
    await agent.goto(segmentUrl);
    await expect(agent.getByTestId("rule-in-words")).toContainText("whose country is DE");
    await expect(agent.getByTestId("member-row")).toHaveCount(2);
    // Agents may see contact details.
    await expect(agent.getByTestId("member-row").filter({ hasText: names.ann })).toContainText("@example.com");
    await expect(agent.getByRole("link", { name: "Edit" })).toHaveCount(0);
    await expect(agent.getByRole("button", { name: "Delete" })).toHaveCount(0);
    await agent.screenshot({ path: `${SHOTS}/segments-agent.png`, fullPage: true });
    for (const p of [`/${ws.slug}/segments/new`, `${segmentUrl}/edit`]) {
      const res = await agent.goto(p);
      expect(res?.status(), p).toBe(403);
    }
    const replay = await replayAction(agentContext.request, create!, [["Repeat buyers in Germany", "Agent's own segment"]]);
    expect(replay.body).toContain('"code":"forbidden"');
    expect(await segmentCount(ws.id)).toBe(1);
  } finally {
    await agentContext.close();
  }
});

test("an invalid rule shows each problem next to its field and cannot be saved", async ({ page }) => {
  const ws = await createWorkspace({ members: [{ role: "marketer" }] });
  await signIn(page, ws.member("marketer"));
  await page.goto(`/${ws.slug}/segments/new`);
  await page.getByLabel("Name", { exact: true }).fill("Half-built");
  await condition(page, "1").getByLabel("Condition 1 kind").selectOption("event");
  await page.getByLabel("Times, condition 1").fill("two");
  await expect(page.getByTestId("estimate-invalid")).toContainText("Fix the rule to see an estimate");

  await page.getByRole("button", { name: "Save segment" }).click();
  const summary = page.getByTestId("problem-summary");
  await expect(summary).toContainText("2 things to fix before saving");
  await expect(summary).toContainText("Condition 1: Enter an event name.");
  await expect(summary).toContainText("Condition 1: Enter how many times.");
  await expect(condition(page, "1").getByTestId("field-problem").filter({ hasText: "Enter an event name." })).toBeVisible();
  await expect(page.getByLabel("Event name, condition 1")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Times, condition 1")).toHaveAttribute("aria-invalid", "true");
  // The summary moves focus to the field.
  await summary.getByRole("button", { name: "Condition 1: Enter an event name." }).click();
  await expect(page.getByLabel("Event name, condition 1")).toBeFocused();
  await page.screenshot({ path: `${SHOTS}/segments-invalid.png`, fullPage: true });
  await expect(page).toHaveURL(new RegExp(`/${ws.slug}/segments/new$`));
  expect(await segmentCount(ws.id)).toBe(0);

  // Fixing one field clears its message; the other stays until it is fixed too.
  await page.getByLabel("Event name, condition 1").fill("Signed Up");
  await expect(summary).toContainText("One thing to fix before saving");
  await page.getByLabel("Times, condition 1").fill("1");
  await expect(summary).toHaveCount(0);
  await expect(estimate(page)).toHaveText("0");
  await page.getByRole("button", { name: "Save segment" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Half-built" })).toBeVisible();
  await expect(page.getByText("Nobody is in this segment yet")).toBeVisible();
  expect(await segmentCount(ws.id)).toBe(1);
});
