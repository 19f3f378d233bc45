// Computed traits: after events arrived through the tracking API, a marketer defines "Orders in the
// last 30 days" and "Lifetime value" (partly from the keyboard), sees them in the list with how many
// profiles have a value, and finds the values, with the person's segments, on the 360 page; bad
// input is explained next to its field; an agent can look but not create, and the server refuses
// them on its own. Screenshots for review in test-results/computed-traits-*.png.
import { randomUUID } from "node:crypto";
import { test, expect, type APIRequestContext } from "@playwright/test";
import { createSource, createWorkspace, recordActions, replayAction, sendTracking, signIn, sql, uid, type TestWorkspace } from "./fixtures";

const SHOTS = "test-results";
const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();

interface Shop {
  ws: TestWorkspace;
  ann: { id: string; name: string };
}

/** Ann ordered three times (two in the last 30 days), Ben once long ago. */
async function seedShop(request: APIRequestContext): Promise<Shop> {
  const ws = await createWorkspace({ name: "Northwind Retail", members: [{ role: "marketer" }, { role: "agent" }] });
  const source = await createSource(ws.id, { name: "Web shop", kind: "server" });
  const tag = uid();
  const name = `Ann Adler ${tag}`;
  const batch = [
    { type: "identify", userId: `ann-${tag}`, traits: { name, email: `ann.${tag}@example.com` }, timestamp: daysAgo(90) },
    { type: "identify", userId: `ben-${tag}`, traits: { name: `Ben Becker ${tag}` }, timestamp: daysAgo(90) },
    { type: "track", userId: `ann-${tag}`, event: "Order Completed", properties: { order_id: "A-1", total: 120.5, currency: "EUR" }, timestamp: daysAgo(60) },
    { type: "track", userId: `ann-${tag}`, event: "Order Completed", properties: { order_id: "A-2", total: 64, currency: "EUR" }, timestamp: daysAgo(12) },
    { type: "track", userId: `ann-${tag}`, event: "Order Completed", properties: { order_id: "A-3", total: 15.5, currency: "EUR" }, timestamp: daysAgo(2) },
    { type: "track", userId: `ben-${tag}`, event: "Order Completed", properties: { order_id: "B-1", total: 30, currency: "EUR" }, timestamp: daysAgo(200) },
    { type: "track", userId: `ben-${tag}`, event: "Product Viewed", properties: { sku: "SKU-1", price: 30 }, timestamp: daysAgo(1) },
  ];
  const res = await sendTracking(request, source.writeKey, "/v1/batch", { batch });
  expect(res, JSON.stringify(res.body)).toMatchObject({ status: 200 });
  await expect
    .poll(
      async () => (await sql<{ n: number }>(`SELECT coalesce(sum(count), 0)::int AS n FROM profile_event_days WHERE workspace_id = $1 AND event = 'Order Completed'`, [ws.id]))[0].n,
      { timeout: 30_000, message: "the pipeline counts the orders" },
    )
    .toBe(4);
  const [ann] = await sql<{ id: string }>(`SELECT profile_id::text AS id FROM identities WHERE workspace_id = $1 AND type = 'user_id' AND value = $2`, [ws.id, `ann-${tag}`]);
  return { ws, ann: { id: ann.id, name } };
}

const traitCount = async (workspaceId: string) => (await sql<{ n: number }>(`SELECT count(*)::int AS n FROM computed_traits WHERE workspace_id = $1`, [workspaceId]))[0].n;

test("a marketer creates computed traits and finds their values on the profile; an agent cannot create one", async ({ page, browser }) => {
  const { ws, ann } = await seedShop(page.request);
  const list = `/${ws.slug}/segments/computed-traits`;
  await signIn(page, ws.member("marketer"));

  // The tab next to Segments; nothing defined yet.
  await page.goto(`/${ws.slug}/segments`);
  await page.getByRole("navigation", { name: "Audiences" }).getByRole("link", { name: "Computed traits" }).click();
  await expect(page).toHaveURL(new RegExp(`${list}$`));
  await expect(page.getByRole("heading", { name: "No computed traits yet" })).toBeVisible();
  await page.getByRole("link", { name: "New computed trait" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "New computed trait" })).toBeVisible();

  // Saving with nothing filled in: each problem next to its field, focus on the first.
  await page.getByRole("button", { name: "Create computed trait" }).click();
  await expect(page.getByText("Enter a name.")).toBeVisible();
  await expect(page.getByText("Enter an event name.")).toBeVisible();
  await expect(page.getByLabel("Name", { exact: true })).toBeFocused();
  await expect(page.getByLabel("Name", { exact: true })).toHaveAttribute("aria-invalid", "true");

  // "Orders in the last 30 days": count (the default), typed with the keyboard.
  const actions = recordActions(page);
  await page.getByLabel("Name", { exact: true }).fill("Orders in the last 30 days");
  await expect(page.getByTestId("trait-key")).toHaveText("orders_in_the_last_30_days");
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Compute", { exact: true })).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Event", { exact: true })).toBeFocused();
  await page.keyboard.type("Order Completed");
  await expect(page.getByLabel("Number of days")).toHaveValue("30");
  await expect(page.getByTestId("trait-preview")).toHaveText("Count of Order Completed in the last 30 days");
  await page.getByLabel("Number of days").press("Enter");
  await expect(page).toHaveURL(new RegExp(`${list}\\?saved=orders_in_the_last_30_days`));
  await expect(page.getByTestId("saved-notice")).toContainText("1 profile has a value");

  // "Lifetime value": the sum of total, ever.
  await page.getByRole("link", { name: "New computed trait" }).click();
  await page.getByLabel("Name", { exact: true }).fill("Lifetime value");
  await page.getByLabel("Compute", { exact: true }).selectOption("sum");
  await page.getByLabel("Event", { exact: true }).fill("Order Completed");
  await page.getByLabel("Property", { exact: true }).fill("total");
  await page.getByRole("radio", { name: "Ever" }).check();
  await expect(page.getByTestId("trait-preview")).toHaveText("Sum of total over Order Completed, ever");
  await page.getByRole("button", { name: "Create computed trait" }).click();
  await expect(page).toHaveURL(new RegExp(`${list}\\?saved=lifetime_value`));

  // The same name again: the key is taken, said next to the name.
  await page.getByRole("link", { name: "New computed trait" }).click();
  await page.getByLabel("Name", { exact: true }).fill("Lifetime Value");
  await page.getByLabel("Event", { exact: true }).fill("Order Completed");
  await page.getByRole("button", { name: "Create computed trait" }).click();
  await expect(page.getByText('The key "lifetime_value" is already used by the computed trait "Lifetime value". Choose another name.')).toBeVisible();
  await page.getByRole("link", { name: "Cancel" }).click();

  // The list: definition in words, profiles with a value, when computed.
  const rows = page.getByTestId("computed-trait-row");
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText("Lifetime value");
  await expect(rows.nth(0)).toContainText("lifetime_value");
  await expect(rows.nth(0)).toContainText("Sum of total over Order Completed, ever");
  await expect(rows.nth(1)).toContainText("Count of Order Completed in the last 30 days");
  await expect(rows.nth(1)).toContainText("daily");
  // Ann and Ben both ordered ever; only Ann in the last 30 days.
  await expect(rows.nth(0).getByRole("cell").nth(3)).toHaveText("2");
  await expect(rows.nth(1).getByRole("cell").nth(3)).toHaveText("1");
  await page.screenshot({ path: `${SHOTS}/computed-traits-list.png`, fullPage: true });

  // The 360 page: the values, and the segments Ann is in (a membership written as the evaluator would).
  const segmentId = randomUUID();
  await sql(`INSERT INTO segments (workspace_id, id, key, name, rule) VALUES ($1, $2, 'repeat_buyers', 'Repeat buyers', $3)`, [
    ws.id, segmentId, JSON.stringify({ kind: "group", op: "and", negate: false, children: [{ kind: "event", event: "Order Completed", count: { op: "at_least", value: 2 }, window: { type: "ever" }, where: [] }] }),
  ]);
  await sql(`INSERT INTO segment_memberships (workspace_id, segment_id, profile_id, entered_at) VALUES ($1, $2, $3, now())`, [ws.id, segmentId, ann.id]);
  await page.goto(`/${ws.slug}/profiles/${ann.id}`);
  await expect(page.getByRole("heading", { level: 1, name: ann.name })).toBeVisible();
  const card = page.getByTestId("computed-traits-card");
  await expect(card.getByTestId("computed-trait-orders_in_the_last_30_days").getByTestId("computed-trait-value")).toHaveText("2");
  await expect(card.getByTestId("computed-trait-lifetime_value").getByTestId("computed-trait-value")).toHaveText("200");
  await expect(card.getByTestId("computed-trait-lifetime_value")).toContainText("Sum of total over Order Completed, ever");
  const segmentLink = card.getByTestId("profile-segments").getByRole("link", { name: "Repeat buyers" });
  await expect(segmentLink).toHaveAttribute("href", `/${ws.slug}/segments/${segmentId}`);
  await card.scrollIntoViewIfNeeded();
  await card.screenshot({ path: `${SHOTS}/computed-traits-360.png` });

  const captured = await actions();
  const create = captured.find((a) => a.body.includes("Orders in the last 30 days"));
  expect(create, "the save was a server action").toBeDefined();

  // An agent sees the list read-only; the new page is forbidden and the server refuses the action.
  const agentContext = await browser.newContext();
  try {
    const agent = await agentContext.newPage();
    await signIn(agent, ws.member("agent"));
    await agent.goto(list);
    await expect(agent.getByTestId("computed-trait-row")).toHaveCount(2);
    await expect(agent.getByRole("link", { name: "New computed trait" })).toHaveCount(0);
    await agent.getByRole("link", { name: "Lifetime value" }).click();
    await expect(agent.getByText("Your role can look at computed traits")).toBeVisible();
    await expect(agent.getByRole("button", { name: "Delete" })).toHaveCount(0);
    // The forbidden page (its status is 200 while segments/loading.tsx streams the pages below it).
    await agent.goto(`${list}/new`);
    await expect(agent.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
    await expect(agent.getByRole("button", { name: "Create computed trait" })).toHaveCount(0);
    const replay = await replayAction(agentContext.request, create!, [["Orders in the last 30 days", "Agent orders"]]);
    expect(replay.body).toContain('"code":"forbidden"');
    expect(await traitCount(ws.id)).toBe(2);
  } finally {
    await agentContext.close();
  }
});
