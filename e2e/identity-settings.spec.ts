// The Identity page: admins edit the workspace's identity rules, marketers read them, agents are
// kept out; recent conflicts mask contact details for roles without PII access.
import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { test, expect, type Page } from "@playwright/test";
import { createSource, createWorkspace, recordActions, replayAction, signIn, sql } from "./fixtures";

const SHOTS = process.env.E2E_SHOTS_DIR ?? "test-results/screenshots";
const identityPath = (slug: string) => `/${slug}/identity`;

async function expectForbidden(page: Page, p: string) {
  const res = await page.goto(p);
  expect(res?.status(), p).toBe(403);
  await expect(page.getByRole("heading", { name: "You don't have access to this page" }), p).toBeVisible();
}

const priorityItems = (page: Page) => page.getByTestId("priority-list").getByTestId("priority-list-item");
const section = (page: Page, id: string) => page.getByTestId(`section-${id}`);

async function storedSettings(workspaceId: string): Promise<Record<string, unknown> | null> {
  const [row] = await sql<{ settings: Record<string, unknown> }>(`SELECT settings FROM identity_settings WHERE workspace_id = $1`, [workspaceId]);
  return row?.settings ?? null;
}

async function addConflict(workspaceId: string, sourceId: string, value: string) {
  const profileId = randomUUID();
  await sql(
    `INSERT INTO identity_conflicts (workspace_id, profile_id, message_id, source_id, identifier_type, identifier_value, reason, detail, created_at)
     VALUES ($1, $2, 'msg-conflict-1', $3, 'email', $4, 'type_limit', 'the profile already has 5 email identifier(s); the limit is 5', now())`,
    [workspaceId, profileId, sourceId, value],
  );
  return profileId;
}

test("an admin reorders priorities, blocks a value, maps a trait, saves and sees it all after reloading", async ({ page }) => {
  const ws = await createWorkspace({ members: [{ role: "admin" }] });
  const source = await createSource(ws.id, { name: "Online shop" });
  const profileId = await addConflict(ws.id, source.id, "ann@example.com");
  await signIn(page, ws.member("admin"));
  await page.goto(identityPath(ws.slug));
  await expect(page.getByRole("heading", { level: 1, name: "Identity" })).toBeVisible();
  await expect(page.getByText("This workspace uses Tessera’s default rules.")).toBeVisible();
  for (const title of ["Identifier priority", "Limits per profile", "Shared identifiers", "Blocked values", "Phone numbers", "Traits as identifiers", "Trait survivorship", "Recent conflicts"]) {
    await expect(page.getByRole("heading", { level: 2, name: title })).toBeVisible();
  }
  await expect(priorityItems(page)).toHaveText([/User ID/, /Email/, /Phone/, /Device ID/, /Advertising ID/, /Anonymous ID/]);

  // Reorder with the keyboard: focus stays on the moved item (on "down" once it reaches the top).
  await page.getByRole("button", { name: "Move email up" }).focus();
  await page.keyboard.press("Enter");
  await expect(priorityItems(page).first()).toContainText("Email");
  await expect(page.getByRole("button", { name: "Move email down" })).toBeFocused();
  await expect(page.getByText("email moved to position 1 of 6.")).toBeAttached();
  // …and with the mouse; then a custom type at the end.
  await page.getByRole("button", { name: "Move anonymous_id up" }).click();
  await page.getByLabel("New identifier type").fill("loyalty_id");
  await page.getByRole("button", { name: "Add type" }).click();
  await expect(priorityItems(page)).toHaveText([/Email/, /User ID/, /Phone/, /Device ID/, /Anonymous ID/, /Advertising ID/, /loyalty_id/]);

  await page.getByLabel("Value to block").fill("noreply@example.com");
  await page.getByLabel("Value to block").press("Enter");
  await expect(page.getByTestId("blocked-values")).toContainText("noreply@example.com");

  // A bad pattern is refused where it is typed.
  await page.getByLabel("Pattern to block").fill("[a-");
  await page.getByRole("button", { name: "Add pattern" }).click();
  await expect(section(page, "blocked").getByText("Pattern “[a-” is not a valid regular expression.")).toBeVisible();
  await expect(page.getByLabel("Pattern to block")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByTestId("blocked-patterns").getByRole("listitem")).toHaveCount(2);

  await page.getByRole("button", { name: "Add trait" }).click();
  await expect(page.getByLabel("Trait key 1")).toBeFocused();
  await page.getByLabel("Trait key 1").fill("loyalty_card");
  await expect(page.getByLabel("Identifier type for trait 1")).toHaveValue("loyalty_card");
  await page.getByLabel("Identifier type for trait 1").fill("loyalty_id");
  await section(page, "limits").getByLabel("loyalty_id").fill("1");

  await expect(page.getByText("You have unsaved changes.")).toBeVisible();
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Identity rules saved." })).toBeVisible();
  await expect(page.getByText("You have unsaved changes.")).toHaveCount(0);

  expect(await storedSettings(ws.id)).toMatchObject({
    priority: ["email", "user_id", "phone", "device_id", "anonymous_id", "advertising_id", "loyalty_id"],
    blockedValues: expect.arrayContaining(["noreply@example.com", "null"]),
    traitIdentifiers: { loyalty_card: "loyalty_id" },
    limits: expect.objectContaining({ loyalty_id: 1, user_id: 1 }),
  });

  await page.reload();
  await expect(page.getByTestId("identity-saved-at")).toContainText("Last changed");
  await expect(priorityItems(page)).toHaveText([/Email/, /User ID/, /Phone/, /Device ID/, /Anonymous ID/, /Advertising ID/, /loyalty_id/]);
  await expect(page.getByTestId("blocked-values")).toContainText("noreply@example.com");
  await expect(page.getByLabel("Trait key 1")).toHaveValue("loyalty_card");
  await expect(page.getByLabel("Identifier type for trait 1")).toHaveValue("loyalty_id");
  await expect(section(page, "limits").getByLabel("loyalty_id")).toHaveValue("1");

  // Admins see contact details in conflicts, with a link to the profile.
  const conflicts = page.getByTestId("conflicts-table");
  await expect(conflicts).toContainText("ann@example.com");
  await expect(conflicts).toContainText("Limit per type reached");
  await expect(conflicts).toContainText("msg-conflict-1");
  await expect(conflicts).toContainText("Online shop");
  await expect(conflicts.getByRole("link", { name: "Open profile" })).toHaveAttribute("href", `/${ws.slug}/profiles/${profileId}`);

  // The whole page in one viewport, so the sticky sidebar and save bar sit where they belong.
  fs.mkdirSync(SHOTS, { recursive: true });
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: 1280, height });
  await page.screenshot({ path: path.join(SHOTS, "identity-settings.png") });
});

test("invalid settings are refused with the message next to the field, and nothing is stored", async ({ page }) => {
  const ws = await createWorkspace({ members: [{ role: "admin" }] });
  await signIn(page, ws.member("admin"));
  await page.goto(identityPath(ws.slug));

  const cap = section(page, "limits").getByLabel("Identifier cap");
  await cap.fill("0");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(section(page, "limits").getByText("The identifier cap must be at least 1.")).toBeVisible();
  await expect(cap).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByRole("alert").filter({ hasText: "One setting needs attention" })).toBeVisible();
  expect(await storedSettings(ws.id)).toBeNull();

  // A trait rule without a key is caught before sending.
  await cap.fill("500");
  await page.getByRole("button", { name: "Add trait" }).click();
  await page.getByLabel("Identifier type for trait 1").fill("crm_id");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(section(page, "trait-identifiers").getByText("Enter the trait key.")).toBeVisible();
  expect(await storedSettings(ws.id)).toBeNull();

  await page.getByLabel("Trait key 1").fill("crm_id");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Identity rules saved." })).toBeVisible();
  expect(await storedSettings(ws.id)).toMatchObject({ maxIdentifiersPerProfile: 500, traitIdentifiers: { crm_id: "crm_id" } });

  // Reset to defaults asks first.
  await page.getByRole("button", { name: "Reset to defaults" }).click();
  const dialog = page.getByRole("dialog", { name: "Reset identity rules to the defaults?" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toHaveCount(0);
  expect(await storedSettings(ws.id)).not.toBeNull();
  await page.getByRole("button", { name: "Reset to defaults" }).click();
  await dialog.getByRole("button", { name: "Reset to defaults" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Identity rules reset to the defaults." })).toBeVisible();
  await expect(section(page, "limits").getByLabel("Identifier cap")).toHaveValue("1000");
  expect(await storedSettings(ws.id)).toBeNull();
});

test("a marketer sees the rules read-only with masked conflicts and cannot save; an agent is forbidden", async ({ page, browser }) => {
  const ws = await createWorkspace({ members: [{ role: "admin" }, { role: "marketer" }, { role: "agent" }] });
  const source = await createSource(ws.id);
  await addConflict(ws.id, source.id, "ann@example.com");

  // The admin saves once, so there is a real save action to replay as the marketer.
  const actions = recordActions(page);
  await signIn(page, ws.member("admin"));
  await page.goto(identityPath(ws.slug));
  await page.getByRole("button", { name: "Add trait" }).click();
  await page.getByLabel("Trait key 1").fill("member_no");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Identity rules saved." })).toBeVisible();
  const save = (await actions()).find((a) => a.body.includes("member_no"));
  expect(save).toBeDefined();

  const marketerContext = await browser.newContext();
  const agentContext = await browser.newContext();
  try {
    const marketer = await marketerContext.newPage();
    await signIn(marketer, ws.member("marketer"));
    await marketer.goto(identityPath(ws.slug));
    await expect(marketer.getByRole("heading", { level: 1, name: "Identity" })).toBeVisible();
    await expect(marketer.getByText("only admins can change them")).toBeVisible();
    await expect(priorityItems(marketer)).toHaveCount(6);
    await expect(marketer.getByTestId("trait-identifiers")).toContainText("member_no");
    await expect(marketer.getByRole("button", { name: "Save changes" })).toHaveCount(0);
    await expect(marketer.getByRole("button", { name: "Reset to defaults" })).toHaveCount(0);
    await expect(marketer.getByRole("button", { name: /^Move / })).toHaveCount(0);
    await expect(marketer.getByRole("textbox")).toHaveCount(0);
    const conflicts = marketer.getByTestId("conflicts-table");
    await expect(conflicts).toContainText("a•••@example.com");
    await expect(conflicts).not.toContainText("ann@example.com");

    // The server refuses the marketer's save on its own.
    const res = await replayAction(marketerContext.request, save!, [["member_no", "hijack"]]);
    expect(res.body).toContain('"code":"forbidden"');
    expect(await storedSettings(ws.id)).toMatchObject({ traitIdentifiers: { member_no: "member_no" } });

    const agent = await agentContext.newPage();
    await signIn(agent, ws.member("agent"));
    await expectForbidden(agent, identityPath(ws.slug));
  } finally {
    await Promise.all([marketerContext.close(), agentContext.close()]);
  }
});
