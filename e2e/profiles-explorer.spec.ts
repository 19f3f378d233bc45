// The profile explorer: people sent through the tracking API of the running server, resolved by its
// in-process pipeline, then looked up, browsed, sorted and paged in the browser — by a service
// agent (sees contact details) and a marketer (sees them masked).
import fs from "node:fs";
import path from "node:path";
import { test, expect, type APIRequestContext, type Page } from "@playwright/test";
import { basicAuth, createSource, createWorkspace, sidebarLinks, signIn, sql, uid, type TestSource } from "./fixtures";

const SHOTS = process.env.E2E_SHOTS_DIR ?? "test-results/screenshots";
const profilesPath = (slug: string, query = "") => `/${slug}/profiles${query}`;

interface Person {
  userId?: string;
  anonymousId?: string;
  name?: string;
  email?: string;
  phone?: string;
  /** Extra track calls after the identify. */
  events?: number;
  /** When the person was last active. */
  minutesAgo: number;
}

/** Sends each person as an identify call (plus track calls) with this source's write key. */
async function sendPeople(request: APIRequestContext, source: TestSource, people: Person[]) {
  const batch: Record<string, unknown>[] = [];
  const now = Date.now();
  for (const p of people) {
    const who = { ...(p.userId ? { userId: p.userId } : {}), ...(p.anonymousId ? { anonymousId: p.anonymousId } : {}) };
    const at = (min: number) => new Date(now - min * 60_000).toISOString();
    const traits = Object.fromEntries(Object.entries({ name: p.name, email: p.email, phone: p.phone }).filter(([, v]) => v !== undefined));
    const events = p.events ?? 0;
    batch.push(Object.keys(traits).length ? { type: "identify", ...who, traits, timestamp: at(p.minutesAgo + events + 1) } : { type: "page", ...who, name: "Home", timestamp: at(p.minutesAgo + events + 1) });
    for (let e = events; e >= 1; e--) batch.push({ type: "track", ...who, event: "Product Viewed", properties: { sku: `sku-${e}` }, timestamp: at(p.minutesAgo + e - 1) });
  }
  for (let i = 0; i < batch.length; i += 200) {
    const res = await request.post("/v1/batch", { headers: { Authorization: basicAuth(source.writeKey) }, data: { batch: batch.slice(i, i + 200) } });
    expect(res.status(), await res.text()).toBe(200);
  }
}

/** Waits until the server's pipeline has turned every event of the workspace into profiles. */
async function waitForPipeline(workspaceId: string, livePeople: number) {
  await expect
    .poll(
      async () => {
        const [r] = await sql<{ waiting: number; people: number }>(
          `SELECT (SELECT count(*)::int FROM ingest_batches WHERE workspace_id = $1 AND processed_at IS NULL) + (SELECT count(*)::int FROM pipeline_follow_ups WHERE workspace_id = $1) AS waiting,
                  (SELECT count(*)::int FROM profiles WHERE workspace_id = $1 AND kind = 'user' AND merged_into_id IS NULL) AS people`,
          [workspaceId],
        );
        return r;
      },
      { timeout: 30_000, message: "the pipeline resolves the events into profiles" },
    )
    .toEqual({ waiting: 0, people: livePeople });
}

async function profileIdOf(workspaceId: string, type: string, value: string): Promise<string> {
  const [row] = await sql<{ profile_id: string }>(`SELECT profile_id::text FROM identities WHERE workspace_id = $1 AND type = $2 AND value = $3`, [workspaceId, type, value]);
  return row.profile_id;
}

const searchBox = (page: Page) => page.getByRole("searchbox", { name: /Search (people|accounts)/ });
const rows = (page: Page) => page.getByTestId("profile-row");
const row = (page: Page, name: string) => rows(page).filter({ has: page.getByRole("link", { name, exact: true }) });
const range = (page: Page) => page.getByTestId("page-range");
/** Column values of the visible rows ("Name", "Email", …). */
async function column(page: Page, header: string): Promise<string[]> {
  // After a navigation the placeholder rows show until the new page of results arrives.
  await expect(page.getByRole("status").filter({ hasText: "Loading" })).toHaveCount(0);
  await expect(rows(page).first()).toBeVisible();
  const headers = await page.getByRole("columnheader").allInnerTexts();
  const index = headers.findIndex((h) => h.trim().toLowerCase() === header.toLowerCase());
  expect(index, `column ${header} in ${headers.join(", ")}`).toBeGreaterThanOrEqual(0);
  return rows(page).evaluateAll((trs, i) => trs.map((tr) => (tr.children[i] as HTMLElement).innerText.trim()), index);
}

// A small, realistic customer base for the lookups and the screenshot.
const suffix = uid();
const CUSTOMERS: Person[] = [
  { userId: `cus-1001-${suffix}`, name: "Ann Smith", email: `Ann.Smith.${suffix}@example.com`, phone: "+1 201-234-5678", events: 12, minutesAgo: 3 },
  { userId: `cus-1002-${suffix}`, name: "Bruno Keller", email: `bruno.keller.${suffix}@example.ch`, phone: "+41 79 123 45 67", events: 4, minutesAgo: 45 },
  { userId: `cus-1003-${suffix}`, name: "Chloé Martin", email: `chloe.${suffix}@example.fr`, events: 27, minutesAgo: 130 },
  { userId: `cus-1004-${suffix}`, email: `dana.${suffix}@example.org`, phone: "+1 212-234-5699", events: 2, minutesAgo: 300 },
  { anonymousId: `anon-${suffix}-1`, events: 5, minutesAgo: 20 },
  { userId: `cus-1005-${suffix}`, name: "Erik Larsen", email: `erik.larsen.${suffix}@example.no`, events: 8, minutesAgo: 60 * 26 },
  { userId: `cus-1006-${suffix}`, name: "Fatima Haddad", email: `fatima.${suffix}@example.com`, phone: "+44 7911 123456", events: 1, minutesAgo: 60 * 24 * 4 },
  { anonymousId: `anon-${suffix}-2`, events: 1, minutesAgo: 60 * 24 * 9 },
];

test("an agent finds a customer by email and opens their profile", async ({ page }) => {
  const ws = await createWorkspace({ name: "Northwind Support", members: [{ role: "agent", name: "Sasha Agent" }] });
  const web = await createSource(ws.id, { name: "Online shop", kind: "website" });
  const crm = await createSource(ws.id, { name: "CRM", kind: "server" });
  // Phone numbers without a country code are Swiss in this workspace.
  await sql(`INSERT INTO identity_settings (workspace_id, settings, updated_at) VALUES ($1, $2, now())`, [ws.id, { phoneRegion: "CH" }]);
  await sendPeople(page.request, web, CUSTOMERS);
  // The CRM knows Ann too: her profile has two sources.
  await sendPeople(page.request, crm, [{ userId: CUSTOMERS[0].userId, name: "Ann Smith", minutesAgo: 600 }]);
  await waitForPipeline(ws.id, CUSTOMERS.length);
  const annId = await profileIdOf(ws.id, "user_id", CUSTOMERS[0].userId!);

  await signIn(page, ws.member("agent"));
  await sidebarLinks(page).filter({ hasText: "Profiles" }).click();
  await expect(page).toHaveURL(new RegExp(`/${ws.slug}/profiles$`));
  await expect(page.getByRole("heading", { level: 1, name: "Profiles" })).toBeVisible();
  await expect(rows(page)).toHaveCount(CUSTOMERS.length);
  // Most recently seen first; people without a name show their best identifier.
  expect(await column(page, "Name")).toEqual([
    `Ann Smith\ncus-1001-${suffix}`,
    "Anonymous visitor",
    `Bruno Keller\ncus-1002-${suffix}`,
    `Chloé Martin\ncus-1003-${suffix}`,
    `dana.${suffix}@example.org\ncus-1004-${suffix}`,
    `Erik Larsen\ncus-1005-${suffix}`,
    `Fatima Haddad\ncus-1006-${suffix}`,
    "Anonymous visitor",
  ]);
  await expect(page.getByTestId("pii-note")).toHaveCount(0);
  await expect(range(page)).toHaveText("1–8 of 8 people");

  // "/" jumps to the search box; Enter searches (case-insensitive prefix of the email).
  await page.keyboard.press("/");
  await expect(searchBox(page)).toBeFocused();
  await page.keyboard.type(`ANN.SMITH.${suffix}@`);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/${ws.slug}/profiles\\?q=ANN\\.SMITH\\.${suffix}%40$`));
  await expect(rows(page)).toHaveCount(1);
  await expect(page.getByRole("status").filter({ hasText: "1 person match" })).toContainText(`“ANN.SMITH.${suffix}@”`);
  const ann = row(page, "Ann Smith");
  await expect(ann.getByRole("cell")).toHaveText([`Ann Smith cus-1001-${suffix}`, `ann.smith.${suffix}@example.com`, "+1 201 234 5678", /min ago|just now/, /\w{3} \d{1,2}, \d{4}/, "14", "2"], { useInnerText: true });
  await expect(ann.getByRole("cell").nth(6).locator("span")).toHaveAttribute("title", "CRM, Online shop");
  await expect(range(page)).toHaveText("1–1 of 1 person");

  // Phone numbers are found as people say them, complete or partial; the box keeps the query.
  for (const query of ["079 123 45 67", "+41 79 123", "079 123"]) {
    await searchBox(page).fill(query);
    await searchBox(page).press("Enter");
    await expect.poll(() => new URL(page.url()).searchParams.get("q")).toBe(query);
    await expect(rows(page)).toHaveCount(1);
    await expect(row(page, "Bruno Keller").getByRole("cell").nth(2)).toHaveText("+41 79 123 45 67");
    await expect(searchBox(page)).toHaveValue(query);
  }
  await searchBox(page).fill("078 999 99 99");
  await searchBox(page).press("Enter");
  await expect(page.getByRole("heading", { name: "No match for “078 999 99 99”" })).toBeVisible();

  // Back to Ann by user id, then into her profile with the keyboard.
  await searchBox(page).fill(`cus-1001-${suffix}`);
  await searchBox(page).press("Enter");
  await expect(rows(page)).toHaveCount(1);
  const link = row(page, "Ann Smith").getByRole("link", { name: "Ann Smith" });
  await expect(link).toHaveAttribute("href", `/${ws.slug}/profiles/${annId}`);
  await link.focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/${ws.slug}/profiles/${annId}$`));
});

test("a marketer sees contact details masked, and finds people by a complete email only", async ({ page }) => {
  const ws = await createWorkspace({ members: [{ role: "marketer" }] });
  const web = await createSource(ws.id, { name: "Online shop" });
  await sendPeople(page.request, web, CUSTOMERS);
  await waitForPipeline(ws.id, CUSTOMERS.length);

  await signIn(page, ws.member("marketer"));
  await page.goto(profilesPath(ws.slug));
  await expect(rows(page)).toHaveCount(CUSTOMERS.length);
  await expect(page.getByTestId("pii-note")).toContainText("Emails and phone numbers are masked for your role");
  expect(await column(page, "Email")).toEqual(["a•••@example.com", "—", "b•••@example.ch", "c•••@example.fr", "d•••@example.org", "e•••@example.no", "f•••@example.com", "—"]);
  expect(await column(page, "Phone")).toEqual(["•••78", "—", "•••67", "—", "•••99", "—", "•••56", "—"]);
  // The person known only by email is named by the masked email, too.
  await expect(row(page, "d•••@example.org")).toBeVisible();
  const html = await page.content();
  for (const p of CUSTOMERS) {
    if (p.email) expect(html).not.toContain(p.email.toLowerCase());
  }
  expect(html).not.toContain("+12012345678");
  expect(html).not.toContain("201 234 5678");

  // A complete email finds the person (still masked); a prefix does not reveal anything.
  await searchBox(page).fill(CUSTOMERS[0].email!.toUpperCase());
  await searchBox(page).press("Enter");
  await expect(rows(page)).toHaveCount(1);
  await expect(row(page, "Ann Smith").getByRole("cell").nth(1)).toHaveText("a•••@example.com");
  await searchBox(page).fill(`ann.smith.${suffix}@`);
  await searchBox(page).press("Enter");
  await expect(page.getByRole("heading", { name: `No match for “ann.smith.${suffix}@”` })).toBeVisible();
  await expect(page.getByText("a complete email address or phone number")).toBeVisible();
  // Names still match by prefix.
  await searchBox(page).fill("chlo");
  await searchBox(page).press("Enter");
  await expect(rows(page)).toHaveCount(1);
  await expect(row(page, "Chloé Martin").getByRole("cell").nth(1)).toHaveText("c•••@example.fr");
  await fs.promises.mkdir(SHOTS, { recursive: true });
  await page.goto(profilesPath(ws.slug));
  await expect(rows(page)).toHaveCount(CUSTOMERS.length);
  await page.screenshot({ path: path.join(SHOTS, "profiles-explorer-marketer.png"), fullPage: true });
});

test("sorting and paging run on the server and stay in the URL", async ({ page }) => {
  const ws = await createWorkspace({ members: [{ role: "admin" }] });
  const web = await createSource(ws.id);
  // 30 people: person-01 is the most recently seen; person-i has (i % 7) + 1 events after identify.
  const people: Person[] = Array.from({ length: 30 }, (_, k) => {
    const i = k + 1;
    return { userId: `person-${String(i).padStart(2, "0")}`, name: `Person ${String(i).padStart(2, "0")}`, events: i % 7, minutesAgo: i * 10 };
  });
  await sendPeople(page.request, web, people);
  await sendPeople(page.request, web, [{ userId: "u-acme", name: "Buyer" }].map((p) => ({ ...p, minutesAgo: 1000 })));
  const group = await page.request.post("/v1/group", { headers: { Authorization: basicAuth(web.writeKey) }, data: { userId: "u-acme", groupId: "acme-corp", traits: { name: "Acme Corp" }, timestamp: new Date(Date.now() - 1000 * 60_000).toISOString() } });
  expect(group.status()).toBe(200);
  await waitForPipeline(ws.id, 31);
  await expect.poll(async () => (await sql(`SELECT 1 FROM profiles WHERE workspace_id = $1 AND kind = 'account'`, [ws.id])).length).toBe(1);

  await signIn(page, ws.member("admin"));
  await page.goto(profilesPath(ws.slug));
  await expect(range(page)).toHaveText("1–25 of 31 people");
  await expect(rows(page)).toHaveCount(25);
  const lastSeen = page.getByRole("columnheader", { name: "Last seen" });
  await expect(lastSeen).toHaveAttribute("aria-sort", "descending");
  expect((await column(page, "Name")).slice(0, 3)).toEqual(["Person 01\nperson-01", "Person 02\nperson-02", "Person 03\nperson-03"]);
  await expect(page.getByText("Previous", { exact: true })).toHaveAttribute("aria-disabled", "true");

  await page.getByRole("link", { name: "Next" }).click();
  await expect(page).toHaveURL(/[?&]page=2$/);
  await expect(range(page)).toHaveText("26–31 of 31 people");
  expect(await column(page, "Name")).toEqual(["Person 26\nperson-26", "Person 27\nperson-27", "Person 28\nperson-28", "Person 29\nperson-29", "Person 30\nperson-30", "Buyer\nu-acme"]);
  await expect(page.getByText("Next", { exact: true })).toHaveAttribute("aria-disabled", "true");
  await page.getByRole("link", { name: "Previous" }).click();
  await expect(range(page)).toHaveText("1–25 of 31 people");

  // Oldest first, by clicking the sorted header again.
  await lastSeen.getByRole("link").click();
  await expect(page).toHaveURL(/[?&]dir=asc/);
  await expect(page.getByRole("columnheader", { name: "Last seen" })).toHaveAttribute("aria-sort", "ascending");
  expect((await column(page, "Name")).slice(0, 2)).toEqual(["Buyer\nu-acme", "Person 30\nperson-30"]);

  // Most events first (a new column starts descending), then fewest first; the URL carries it.
  await page.getByRole("columnheader", { name: "Events" }).getByRole("link").click();
  await expect(page).toHaveURL(/sort=events/);
  await expect(page).not.toHaveURL(/dir=asc/);
  await expect(page.getByRole("columnheader", { name: "Events" })).toHaveAttribute("aria-sort", "descending");
  await expect(page.getByRole("columnheader", { name: "Last seen" })).toHaveAttribute("aria-sort", "none");
  const most = (await column(page, "Events")).map(Number);
  expect(most).toEqual([...most].sort((a, b) => b - a));
  expect(most[0]).toBe(7);
  await page.getByRole("columnheader", { name: "Events" }).getByRole("link").click();
  await expect(page).toHaveURL(/sort=events&dir=asc/);
  const fewest = (await column(page, "Events")).map(Number);
  expect(fewest).toEqual([...fewest].sort((a, b) => a - b));
  expect(fewest[0]).toBe(1);

  // A shared link opens the same view; the search keeps the sort.
  const url = page.url();
  await page.goto("about:blank");
  await page.goto(url);
  await expect(page.getByRole("columnheader", { name: "Events" })).toHaveAttribute("aria-sort", "ascending");
  await searchBox(page).fill("Person 1");
  await searchBox(page).press("Enter");
  await expect(page).toHaveURL(/\?q=Person\+1&sort=events&dir=asc$/);
  await expect(range(page)).toHaveText("1–10 of 10 people");
  const sortedMatches = (await column(page, "Events")).map(Number);
  expect(sortedMatches).toEqual([...sortedMatches].sort((a, b) => a - b));

  // Accounts are a separate list.
  await page.getByRole("navigation", { name: "Profile kind" }).getByRole("link", { name: "Accounts" }).click();
  await expect(page).toHaveURL(/kind=account/);
  await expect(page.getByRole("heading", { name: "No match for “Person 1”" })).toBeVisible();
  await page.getByRole("link", { name: "Clear search" }).click();
  await expect(rows(page)).toHaveCount(1);
  await expect(row(page, "Acme Corp")).toContainText("acme-corp");
  await expect(page.getByRole("columnheader", { name: "Email" })).toHaveCount(0);
  await expect(range(page)).toHaveText("1–1 of 1 account");
  await expect(page.getByRole("navigation", { name: "Profile kind" }).getByRole("link", { name: "Accounts" })).toHaveAttribute("aria-current", "page");
});

test("empty states: no profiles yet, and no match", async ({ page, browser }) => {
  const ws = await createWorkspace({ members: [{ role: "admin" }] });
  await signIn(page, ws.member("admin"));
  await page.goto(profilesPath(ws.slug));
  await expect(page.getByRole("heading", { name: "No profiles yet" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Go to Sources" })).toHaveAttribute("href", `/${ws.slug}/sources`);
  await page.getByRole("navigation", { name: "Profile kind" }).getByRole("link", { name: "Accounts" }).click();
  await expect(page.getByRole("heading", { name: "No accounts yet" })).toBeVisible();
  await page.getByRole("navigation", { name: "Profile kind" }).getByRole("link", { name: "People" }).click();
  await expect(page.getByRole("heading", { name: "No profiles yet" })).toBeVisible();
  await page.getByRole("link", { name: "Go to Sources" }).click();
  await expect(page).toHaveURL(new RegExp(`/${ws.slug}/sources$`));

  const web = await createSource(ws.id);
  await sendPeople(page.request, web, [{ userId: "only-one", name: "Only One", minutesAgo: 5 }]);
  await waitForPipeline(ws.id, 1);
  await page.goto(profilesPath(ws.slug, "?q=nobody%20here"));
  await expect(page.getByRole("heading", { name: "No match for “nobody here”" })).toBeVisible();
  await expect(searchBox(page)).toHaveValue("nobody here");
  await page.getByRole("link", { name: "Clear search" }).click();
  await expect(page).toHaveURL(new RegExp(`/${ws.slug}/profiles$`));
  await expect(rows(page)).toHaveCount(1);
  await expect(searchBox(page)).toHaveValue("");

  // Agents cannot open Sources: they are told whom to ask instead of getting a dead link.
  const empty = await createWorkspace({ members: [{ role: "agent" }] });
  const agentContext = await browser.newContext();
  try {
    const agent = await agentContext.newPage();
    await signIn(agent, empty.member("agent"));
    await agent.goto(profilesPath(empty.slug));
    await expect(agent.getByRole("heading", { name: "No profiles yet" })).toBeVisible();
    await expect(agent.getByText("Ask an admin to connect a source.")).toBeVisible();
    await expect(agent.getByRole("link", { name: "Go to Sources" })).toHaveCount(0);
  } finally {
    await agentContext.close();
  }
});

test("screenshot: an agent's profile explorer", async ({ page }) => {
  const ws = await createWorkspace({ name: "Northwind Retail", members: [{ role: "agent", name: "Sasha Agent" }] });
  const web = await createSource(ws.id, { name: "Online shop", kind: "website" });
  const app = await createSource(ws.id, { name: "Mobile app", kind: "mobile" });
  await sendPeople(page.request, web, CUSTOMERS);
  await sendPeople(page.request, app, CUSTOMERS.filter((_, i) => i % 3 === 0).map((p) => ({ ...p, events: 1, minutesAgo: p.minutesAgo + 30 })));
  await waitForPipeline(ws.id, CUSTOMERS.length);
  await signIn(page, ws.member("agent"));
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(profilesPath(ws.slug));
  await expect(rows(page)).toHaveCount(CUSTOMERS.length);
  await expect(page.getByText(/min ago/).first()).toBeVisible();
  await fs.promises.mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, "profiles-explorer.png"), fullPage: true });
});
