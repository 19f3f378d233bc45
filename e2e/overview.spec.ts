import { test, expect, type Page } from "@playwright/test";
import { createSource, createWorkspace, sendTracking, signIn } from "./fixtures";

/** The value of one of the Overview's figures ("Events, 24 h", "Profiles", "Pipeline"). */
function tile(page: Page, label: string) {
  return page.getByRole("region", { name: "Workspace figures" }).locator("dl > div").filter({ has: page.locator("dt", { hasText: label }) });
}

test("the Overview shows event volume, profiles and the pipeline catching up once data arrives", async ({ page, request }) => {
  const ws = await createWorkspace({ members: [{ role: "marketer" }] });
  const source = await createSource(ws.id, { kind: "server" });
  await signIn(page, ws.member("marketer"));

  await page.goto(`/${ws.slug}`);
  await expect(page.getByText("No customer data has arrived in this workspace yet")).toBeVisible();
  await expect(page.getByRole("region", { name: "Workspace figures" })).toHaveCount(0);

  const at = new Date().toISOString();
  const sent = await sendTracking(request, source.writeKey, "/v1/batch", {
    batch: [
      { type: "identify", userId: "ov-1", traits: { email: "one@example.com" }, timestamp: at },
      { type: "track", userId: "ov-1", event: "Order Completed", timestamp: at },
      { type: "identify", anonymousId: "ov-anon-2", traits: { plan: "free" }, timestamp: at },
    ],
  });
  expect(sent.status).toBe(200);

  // The in-process pipeline resolves the events within moments; the page shows where it stands.
  await expect(async () => {
    await page.reload();
    await expect(tile(page, "Pipeline").locator("dd").first()).toHaveText("Caught up", { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  // Once caught up, the counts on the same page include every processed event.
  await expect(tile(page, "Pipeline")).toContainText("every event has updated its profile");
  await expect(tile(page, "Events, 24 h").locator("dd").first()).toHaveText("3");
  await expect(tile(page, "Profiles").locator("dd").first()).toHaveText("2");
});
