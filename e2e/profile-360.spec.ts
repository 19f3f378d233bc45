// Customer 360: events sent with a source's write key are resolved by the server's in-process
// pipeline into a profile; agents, marketers and admins open it. Screenshots for review in
// test-results/screenshots/profile-360*.png.
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { test, expect, type APIRequestContext, type Page } from "@playwright/test";
import { createSource, createWorkspace, sendTracking, signIn, sql, uid, type TestSource, type TestWorkspace } from "./fixtures";

const SHOTS = process.env.E2E_SHOTS_DIR ?? "test-results/screenshots";
const profilePath = (slug: string, id: string) => `/${slug}/profiles/${id}`;

async function sendBatch(request: APIRequestContext, source: TestSource, batch: Record<string, unknown>[]) {
  const res = await sendTracking(request, source.writeKey, "/v1/batch", { batch });
  expect(res, JSON.stringify(res.body)).toMatchObject({ status: 200 });
}

/** The live profile that owns an identifier, once the pipeline has put it there. */
async function profileOf(workspaceId: string, type: string, value: string): Promise<{ id: string; event_count: number } | null> {
  const [row] = await sql<{ id: string; event_count: number }>(
    `SELECT p.id::text, p.event_count FROM identities i JOIN profiles p ON p.workspace_id = i.workspace_id AND p.id = i.profile_id
     WHERE i.workspace_id = $1 AND i.type = $2 AND i.value = $3 AND p.merged_into_id IS NULL`,
    [workspaceId, type, value],
  );
  return row ?? null;
}

/** Minutes ago, plus seconds, as an ISO timestamp. */
const ago = (minutes: number, seconds = 0) => new Date(Date.now() - minutes * 60_000 + seconds * 1000).toISOString();

interface Ann {
  ws: TestWorkspace;
  web: TestSource;
  crm: TestSource;
  id: string;
  email: string;
}

/** Ann browses the web shop anonymously (3 pages, 30 product views), signs up, then the CRM adds her phone, plan and two orders: 37 events. */
async function seedAnn(request: APIRequestContext): Promise<Ann> {
  const ws = await createWorkspace({ name: "Northwind Retail", members: [{ role: "admin" }, { role: "marketer" }, { role: "agent" }] });
  const web = await createSource(ws.id, { name: "Web shop", kind: "website" });
  const crm = await createSource(ws.id, { name: "CRM", kind: "server" });
  const anon = `anon-${uid()}`;
  const userId = `u-${uid()}`;
  const email = `ann.smith.${uid()}@example.com`;
  await sendBatch(request, web, [
    ...["Home", "Shoes", "Checkout"].map((name, i) => ({ type: "page", anonymousId: anon, name, properties: { path: `/${name.toLowerCase()}` }, timestamp: ago(50, i) })),
    ...Array.from({ length: 30 }, (_, i) => ({ type: "track", anonymousId: anon, event: "Product Viewed", properties: { sku: `SKU-${100 + i}`, price: 59.9 }, timestamp: ago(45, i) })),
    { type: "identify", anonymousId: anon, userId, traits: { email, name: "Ann Smith", plan: "free", city: "Zurich" }, timestamp: ago(40) },
  ]);
  await sendBatch(request, crm, [
    { type: "identify", userId, traits: { plan: "pro", phone: "+1 201-234-5678" }, timestamp: ago(30) },
    { type: "track", userId, event: "Order Completed", properties: { order_id: "A-1001", total: 120.5, currency: "EUR" }, timestamp: ago(20) },
    { type: "track", userId, event: "Order Completed", properties: { order_id: "A-1002", total: 64, currency: "EUR" }, timestamp: ago(10) },
  ]);
  await expect.poll(async () => (await profileOf(ws.id, "user_id", userId))?.event_count ?? 0, { timeout: 30_000, message: "the pipeline builds Ann's profile" }).toBe(37);
  const profile = (await profileOf(ws.id, "user_id", userId))!;
  return { ws, web, crm, id: profile.id, email };
}

const events = (page: Page) => page.getByTestId("timeline-event");
const identifiers = (page: Page, type: string) => page.getByTestId(`identifiers-${type}`).getByTestId("identifier-value");

test("a service agent opens a person: identifiers, traits with their source, an endless timeline with filters and JSON", async ({ page }) => {
  const ann = await seedAnn(page.request);
  await signIn(page, ann.ws.member("agent"));
  const res = await page.goto(profilePath(ann.ws.slug, ann.id));
  expect(res?.status()).toBe(200);

  // The header: who, key facts, when, how much, from where.
  await expect(page.getByRole("heading", { level: 1, name: "Ann Smith" })).toBeVisible();
  const header = page.getByTestId("profile-header");
  await expect(header.getByTestId("key-traits")).toContainText(ann.email);
  await expect(header.getByTestId("key-traits")).toContainText("+1 201-234-5678");
  await expect(header.getByTestId("key-traits")).toContainText("pro");
  await expect(header.getByTestId("profile-facts")).toContainText("37");
  await expect(header.getByTestId("profile-facts")).toContainText("Web shop");
  await expect(header.getByTestId("profile-facts")).toContainText("CRM");

  // The timeline starts with its newest page only (its end is far below the fold).
  await expect(events(page)).toHaveCount(25);
  await expect(events(page).first().getByTestId("timeline-summary")).toHaveText("Order Completed");
  await expect(page.getByTestId("timeline-end")).toHaveCount(0);

  // Identifiers by type, with where they were first seen. Agents cannot unmerge.
  await expect(identifiers(page, "email")).toHaveText([ann.email]);
  await expect(identifiers(page, "phone")).toHaveText(["+12012345678"]);
  await expect(identifiers(page, "user_id")).toHaveCount(1);
  await expect(identifiers(page, "anonymous_id")).toHaveCount(1);
  await expect(page.getByTestId("identifiers-anonymous_id")).toContainText("from Web shop");
  await expect(page.getByRole("button", { name: /^Unmerge/ })).toHaveCount(0);

  // Traits: the winning value with its source; the other values on demand.
  const plan = page.getByTestId("trait-plan");
  await expect(plan.getByTestId("trait-value")).toHaveText("pro");
  await expect(plan.getByTestId("trait-lineage")).toContainText("from CRM");
  await expect(plan.getByTestId("trait-candidate")).toBeHidden();
  await plan.getByText("1 other value").click();
  await expect(plan.getByTestId("trait-candidate")).toHaveText([/free · 1× · Web shop/]);
  await expect(page.getByTestId("trait-city").getByTestId("trait-lineage")).toContainText("from Web shop");

  // The timeline: newest first, one page, then the next as the end scrolls into view.
  // (Scrolling down to the traits may already have brought it close enough.)
  await events(page).nth(24).scrollIntoViewIfNeeded();
  await expect(events(page)).toHaveCount(37);
  await expect(page.getByTestId("timeline-end")).toBeVisible();
  await expect(events(page).last().getByTestId("timeline-summary")).toHaveText("Viewed Home");

  // Filter by event name: reloads from the route, kept in the URL.
  await page.getByLabel("Filter by event name").selectOption("Order Completed");
  await expect(events(page)).toHaveCount(2);
  await expect(page).toHaveURL(/[?&]event=Order\+Completed/);
  await page.getByLabel("Filter by source").selectOption({ label: "Web shop" });
  await expect(page.getByText("No events match these filters")).toBeVisible();
  await page.getByLabel("Filter by source").selectOption({ label: "All sources" });
  await expect(events(page)).toHaveCount(2);
  await page.reload();
  await expect(page.getByLabel("Filter by event name")).toHaveValue("Order Completed");
  await expect(events(page)).toHaveCount(2);

  // Expand an event to its JSON.
  const newest = events(page).first();
  await expect(newest.getByTestId("timeline-json")).toBeHidden();
  await newest.getByTestId("timeline-summary").click();
  await expect(newest.getByTestId("timeline-json")).toBeVisible();
  await expect(newest.getByTestId("timeline-json")).toContainText('"order_id": "A-1002"');
  await expect(newest.getByTestId("timeline-json")).toContainText('"total": 64');
  await expect(newest).toContainText("CRM");

  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, "profile-360.png"), fullPage: true });

  await page.getByRole("button", { name: "Clear filters" }).first().click();
  await expect(events(page)).toHaveCount(25);
  await expect(page).not.toHaveURL(/event=/);
});

test("a marketer sees contact details masked, on the page and from the timeline route", async ({ page }) => {
  const ann = await seedAnn(page.request);
  await signIn(page, ann.ws.member("marketer"));
  await page.goto(profilePath(ann.ws.slug, ann.id));
  await expect(page.getByRole("heading", { level: 1, name: "Ann Smith" })).toBeVisible();
  const masked = `a•••@example.com`;
  await expect(identifiers(page, "email")).toHaveText([masked]);
  await expect(identifiers(page, "phone")).toHaveText(["•••78"]);
  await expect(page.getByTestId("trait-email").getByTestId("trait-value")).toHaveText(masked);
  await expect(page.getByText("Contact details are masked for your role.").first()).toBeVisible();
  await expect(page.getByRole("button", { name: /^Unmerge/ })).toHaveCount(0);

  // The identify call's JSON shows the traits masked.
  await page.getByLabel("Filter by type").selectOption("identify");
  await expect(events(page)).toHaveCount(2);
  const signup = events(page).last();
  await signup.getByTestId("timeline-summary").click();
  await expect(signup.getByTestId("timeline-json")).toContainText(`"email": "${masked}"`);
  await expect(signup.getByTestId("timeline-json")).toContainText('"name": "Ann Smith"');
  await expect(page.locator("main")).not.toContainText(ann.email);
  await expect(page.locator("main")).not.toContainText("234-5678");
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, "profile-360-marketer.png"), fullPage: true });

  const api = await page.request.get(`/api/workspaces/${ann.ws.slug}/profiles/${ann.id}/timeline?limit=100`);
  expect(api.status()).toBe(200);
  const text = await api.text();
  expect(JSON.parse(text).items).toHaveLength(37);
  expect(text).not.toContain(ann.email);
  expect(text).not.toContain("2012345678");
  expect(text).toContain(masked);

  // An id of another workspace, or not an id at all: 404, nothing leaks.
  const other = await seedAnn(page.request);
  for (const id of [other.id, "not-a-uuid", randomUUID()]) {
    const response = await page.goto(profilePath(ann.ws.slug, id));
    expect(response?.status(), id).toBe(404);
    await expect(page.getByRole("heading", { name: "Profile not found" }), id).toBeVisible();
    await expect(page.locator("main"), id).not.toContainText("Ann Smith");
    await expect(page.getByTestId("profile-header"), id).toHaveCount(0);
  }
  expect((await page.request.get(`/api/workspaces/${ann.ws.slug}/profiles/${other.id}/timeline`)).status()).toBe(404);
});

test("a merged-away profile redirects to its survivor; an admin unmerges an identifier and both profiles show the right identifiers", async ({ page }) => {
  const ws = await createWorkspace({ members: [{ role: "admin" }] });
  const web = await createSource(ws.id, { name: "Web shop", kind: "website" });
  const crm = await createSource(ws.id, { name: "CRM", kind: "server" });
  const tag = uid();
  const [webAnon, crmAnon, userId, email, phone] = [`web-${tag}`, `crm-${tag}`, `bo-${tag}`, `bo.${tag}@example.com`, "+1 201-234-5679"];
  await sendBatch(page.request, web, [{ type: "identify", anonymousId: webAnon, traits: { email, plan: "free" }, timestamp: ago(30) }]);
  await sendBatch(page.request, crm, [{ type: "identify", anonymousId: crmAnon, traits: { phone, plan: "pro" }, timestamp: ago(20) }]);
  await expect.poll(async () => Boolean((await profileOf(ws.id, "anonymous_id", webAnon)) && (await profileOf(ws.id, "anonymous_id", crmAnon))), { timeout: 30_000 }).toBe(true);
  // One call carrying both the e-mail and the phone merges the two profiles.
  await sendBatch(page.request, crm, [{ type: "identify", userId, traits: { email, phone: "(201) 234-5679", name: "Bo Berg" }, timestamp: ago(10) }]);
  await expect.poll(async () => (await sql(`SELECT 1 FROM profile_merges WHERE workspace_id = $1`, [ws.id])).length, { timeout: 30_000 }).toBe(1);
  await expect.poll(async () => (await profileOf(ws.id, "user_id", userId))?.event_count, { timeout: 30_000 }).toBe(3);
  const [merge] = await sql<{ survivor_id: string; merged_id: string; moved: { type: string; value: string }[] }>(
    `SELECT m.survivor_id::text, m.merged_id::text, (SELECT json_agg(json_build_object('type', i.type, 'value', i.value) ORDER BY i.type) FROM identities i WHERE i.workspace_id = m.workspace_id AND i.id = ANY(m.identity_ids)) AS moved
     FROM profile_merges m WHERE m.workspace_id = $1`,
    [ws.id],
  );
  const survivor = merge.survivor_id;
  const identifiersOf = async (profileId: string) =>
    (await sql<{ t: string }>(`SELECT type || ':' || value AS t FROM identities WHERE workspace_id = $1 AND profile_id = $2 ORDER BY 1`, [ws.id, profileId])).map((r) => r.t);
  const before = await identifiersOf(survivor);
  expect(before).toHaveLength(5);
  // The merged profile brought its anonymous id and its e-mail or phone: that one is split off.
  const contact = merge.moved.find((m) => m.type !== "anonymous_id")!;
  const label = contact.type === "email" ? "Email" : "Phone";

  await signIn(page, ws.member("admin"));
  // The merged-away id leads to the survivor.
  await page.goto(profilePath(ws.slug, merge.merged_id));
  await expect(page).toHaveURL(new RegExp(`/${ws.slug}/profiles/${survivor}\\?merged=${merge.merged_id}$`));
  await expect(page.getByTestId("merged-notice")).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: "Bo Berg" })).toBeVisible();
  const history = page.getByTestId("merge-entry");
  await expect(history).toHaveCount(1);
  await expect(history).toContainText("was merged into this profile");
  await expect(history).toContainText("from CRM");
  await expect(history.getByText("Undone", { exact: true })).toHaveCount(0);
  await expect(page.getByTestId("identifier")).toHaveCount(5);

  // Unmerge: confirm in a dialog that explains what happens.
  await page.getByRole("button", { name: `Unmerge ${label} ${contact.value}` }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByRole("heading", { name: `Unmerge ${label} ${contact.value}?` })).toBeVisible();
  await expect(dialog).toContainText("that merge is undone");
  await dialog.getByRole("button", { name: "Unmerge" }).click();
  await expect(dialog).toHaveCount(0);
  const result = page.getByTestId("unmerge-result");
  await expect(result).toContainText(`${label} ${contact.value} was split off`);
  await expect(page.getByTestId("identifier")).toHaveCount(3);
  await expect(page.getByTestId(`identifiers-${contact.type}`)).toHaveCount(0);
  await expect(history.getByText("Undone", { exact: true })).toBeVisible();
  // The merged-away id no longer leads here: the notice from the redirect is gone.
  await expect(page.getByTestId("merged-notice")).toHaveCount(0);
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, "profile-360-unmerged.png"), fullPage: true });

  const kept = before.filter((t) => !merge.moved.some((m) => `${m.type}:${m.value}` === t));
  expect(await identifiersOf(survivor)).toEqual(kept);
  expect(await identifiersOf(merge.merged_id)).toEqual(merge.moved.map((m) => `${m.type}:${m.value}`).sort());

  // The link opens the split profile (the merged one, back on its own) with its identifiers.
  await result.getByRole("link", { name: "Open the split profile" }).click();
  await expect(page).toHaveURL(new RegExp(`/${ws.slug}/profiles/${merge.merged_id}$`));
  await expect(page.getByTestId("identifier")).toHaveCount(2);
  await expect(identifiers(page, contact.type)).toHaveText([contact.value]);
  await expect(identifiers(page, "anonymous_id")).toHaveText([merge.moved.find((m) => m.type === "anonymous_id")!.value]);
  await expect(page.getByTestId("merge-entry")).toContainText("this profile was merged into");
  await expect(page.getByTestId("merge-entry").getByText("Undone", { exact: true })).toBeVisible();
  await expect(events(page)).toHaveCount(1);

  // And the survivor, opened fresh, shows the rest.
  await page.goto(profilePath(ws.slug, survivor));
  await expect(page.getByTestId("identifier")).toHaveCount(3);
  await expect(page.getByTestId(`identifiers-${contact.type}`)).toHaveCount(0);
});
