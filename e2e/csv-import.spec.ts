// CSV import on a source: upload → column mapping → background import with live progress → row
// errors (summary and download) — checked in the browser and in the database.
import { createHash } from "node:crypto";
import fs from "node:fs";
import { test, expect, type Locator, type Page } from "@playwright/test";
import { createSource, createWorkspace, eventsOf, signIn, sql, uid } from "./fixtures";

const importPath = (slug: string, sourceId: string) => `/${slug}/sources/${sourceId}/import`;

function sourceTabs(page: Page) {
  return page.getByRole("navigation", { name: "Source sections" }).getByRole("link");
}

/** Writes `content` to a file of this test's output directory and returns its path. */
function writeTempFile(name: string, content: string | Buffer): string {
  const file = test.info().outputPath(name);
  fs.writeFileSync(file, content);
  return file;
}

/**
 * Chooses a file in the "CSV file" input and waits for the upload route's answer; returns its
 * status and, on success, the draft import's id.
 */
async function uploadCsv(page: Page, sourceId: string, file: string | { name: string; mimeType: string; buffer: Buffer }): Promise<{ status: number; importId?: string }> {
  const answer = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname.endsWith(`/sources/${sourceId}/imports`));
  await page.getByLabel("CSV file").setInputFiles(file);
  const res = await answer;
  // (Chromium does not keep this XHR's response body for the inspector: the id is read from the
  // database, as the newest draft of the source.)
  if (res.status() !== 200) return { status: res.status() };
  const [job] = await sql<{ id: string }>(`SELECT id::text FROM import_jobs WHERE source_id = $1 AND status = 'draft' ORDER BY created_at DESC LIMIT 1`, [sourceId]);
  return { status: res.status(), importId: job?.id };
}

/** The mapping select of a column ("Import <header> as"). */
const asSelect = (page: Page, header: string) => page.getByLabel(`Import ${header} as`, { exact: true });
const typeSelect = (page: Page, header: string) => page.getByLabel(`Type of ${header}`, { exact: true });

/** The entry of one import in the "Imports" list. */
const importRow = (page: Page, importId: string) => page.getByTestId(`import-${importId}`);

async function expectCompleted(row: Locator) {
  // The worker picks queued imports up within ~2 s; the list polls every second.
  await expect(row.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "100", { timeout: 30_000 });
  await expect(row.getByText("completed", { exact: true })).toBeVisible({ timeout: 30_000 });
}

interface JobRow {
  status: string;
  mode: string | null;
  total_rows: number | null;
  rows_done: number;
  rows_imported: number;
  rows_failed: number;
}

async function jobOf(importId: string): Promise<JobRow> {
  const [row] = await sql<JobRow>(`SELECT status::text, mode::text, total_rows, rows_done, rows_imported, rows_failed FROM import_jobs WHERE id = $1`, [importId]);
  return row;
}

// 200 customers, semicolon separated. Row 3's name holds the delimiter (quoted); row 57 has a bad
// email; row 2's email is in mixed case (stored lower-cased).
const BAD_ROW = 57;
const BAD_EMAIL = "jane.doe(at)example";
function customer(n: number) {
  const id = `cust-${String(n).padStart(4, "0")}`;
  const email = n === BAD_ROW ? BAD_EMAIL : n === 2 ? "Mixed.Case@Example.COM" : `customer${n}@example.com`;
  const firstName = n === 3 ? "Doe; Jane" : `Name ${n}`;
  const lifetimeValue = (n * 10.25).toFixed(2);
  const signedUp = `2024-${String((n % 12) + 1).padStart(2, "0")}-${String((n % 28) + 1).padStart(2, "0")}`;
  return { id, email, firstName, lifetimeValue, signedUp };
}
function customersCsv(rows: number): string {
  const lines = ["customer_id;email;first_name;lifetime_value;signed_up"];
  for (let n = 1; n <= rows; n++) {
    const c = customer(n);
    const name = c.firstName.includes(";") ? `"${c.firstName}"` : c.firstName;
    lines.push([c.id, c.email, name, c.lifetimeValue, c.signedUp].join(";"));
  }
  return lines.join("\r\n") + "\r\n";
}

test("an admin imports 200 customers from a semicolon CSV, watches the progress and downloads the one row with an error", async ({ page }) => {
  const ws = await createWorkspace({ members: [{ role: "admin" }] });
  const source = await createSource(ws.id, { name: `CRM export ${uid()}`, kind: "file" });
  await signIn(page, ws.member("admin"));

  await page.goto(`/${ws.slug}/sources/${source.id}`);
  await sourceTabs(page).filter({ hasText: "CSV import" }).click();
  await expect(page).toHaveURL(new RegExp(`${importPath(ws.slug, source.id)}$`));
  await expect(page.getByRole("heading", { name: "Import a CSV file" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Imports" })).toHaveCount(0);

  const uploaded = await uploadCsv(page, source.id, writeTempFile("customers.csv", customersCsv(200)));
  expect(uploaded.status).toBe(200);
  const importId = uploaded.importId!;
  expect(await jobOf(importId)).toMatchObject({ status: "draft", total_rows: 200, rows_done: 0 });

  await expect(page.getByRole("heading", { name: "Map the columns of 200 rows" })).toBeVisible();
  await expect(page.getByText('Separator detected: ";"')).toBeVisible();
  await expect(page.getByRole("radio", { name: /a person/ })).toBeChecked();
  // Guesses from the header names.
  await expect(asSelect(page, "customer_id")).toHaveValue("user_id");
  await expect(asSelect(page, "email")).toHaveValue("email");
  for (const header of ["first_name", "lifetime_value", "signed_up"]) {
    await expect(asSelect(page, header)).toHaveValue("trait");
    await expect(typeSelect(page, header)).toHaveValue("string");
    await expect(page.getByLabel(`Trait name of ${header}`)).toHaveValue(header);
  }
  // The quoted field kept its semicolon (preview of the first rows).
  await expect(page.getByTestId("mapping-first_name")).toContainText("Doe; Jane");
  await typeSelect(page, "lifetime_value").selectOption({ label: "number" });
  await typeSelect(page, "signed_up").selectOption({ label: "date" });

  await page.getByRole("button", { name: "Import 200 rows" }).click();

  // The wizard is ready for the next file; the import shows up in the list and runs to the end.
  await expect(page.getByLabel("CSV file")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Imports" })).toBeVisible();
  const row = importRow(page, importId);
  await expect(row).toContainText("customers.csv");
  await expect(row.getByRole("progressbar")).toHaveAttribute("aria-valuemin", "0");
  await expect(row.getByRole("progressbar")).toHaveAttribute("aria-valuemax", "100");
  await expectCompleted(row);
  await expect(row.getByTestId("import-counts")).toContainText("200 / 200 rows (100 %) · 199 imported · 1 with errors");
  await expect(row.getByTestId("import-error-summary")).toHaveText("email: is not a valid email address (1 row)");

  const downloadLink = row.getByRole("link", { name: "Download rows with errors (CSV)" });
  await expect(downloadLink).toHaveAttribute("href", `/api/workspaces/${ws.slug}/imports/${importId}/errors`);
  const [download] = await Promise.all([page.waitForEvent("download"), downloadLink.click()]);
  expect(download.suggestedFilename()).toBe("customers-errors.csv");
  const errorsCsv = fs.readFileSync(await download.path(), "utf8");
  expect(errorsCsv.split(/\r\n/).filter(Boolean)).toEqual(["row,line,column,value,reason", `${BAD_ROW},${BAD_ROW + 1},email,${BAD_EMAIL},is not a valid email address`]);
  const direct = await page.request.get(`/api/workspaces/${ws.slug}/imports/${importId}/errors`);
  expect(direct.status()).toBe(200);
  expect(direct.headers()["content-type"]).toMatch(/^text\/csv/);

  // Database: 199 identify messages with typed traits, one row error, the job's counts.
  expect(await jobOf(importId)).toEqual({ status: "completed", mode: "identify", total_rows: 200, rows_done: 200, rows_imported: 199, rows_failed: 1 });
  const events = await eventsOf(source.id);
  expect(events).toHaveLength(199);
  expect(new Set(events.map((e) => e.type))).toEqual(new Set(["identify"]));
  const expectedIds = Array.from({ length: 200 }, (_, i) => i + 1).filter((n) => n !== BAD_ROW).map((n) => `csv-${importId}-${n}`);
  expect(events.map((e) => e.message_id).sort()).toEqual(expectedIds.sort());
  const byRow = new Map(events.map((e) => [Number(e.message_id.split("-").pop()), e]));
  for (const n of [1, 2, 3, 56, 58, 200]) {
    const c = customer(n);
    const e = byRow.get(n)!;
    expect(e.user_id, `row ${n}`).toBe(c.id);
    expect(e.raw.traits, `row ${n}`).toEqual({ email: c.email.toLowerCase(), first_name: c.firstName, lifetime_value: Number(c.lifetimeValue), signed_up: c.signedUp });
  }
  expect(byRow.get(3)!.raw.traits).toMatchObject({ first_name: "Doe; Jane" });
  expect(byRow.get(2)!.raw.traits).toMatchObject({ email: "mixed.case@example.com" });
  for (const e of events) expect(typeof (e.raw.traits as Record<string, unknown>).lifetime_value, e.message_id).toBe("number");
  const rowErrors = await sql(`SELECT row_number, line, "column", value, reason FROM import_row_errors WHERE import_id = $1`, [importId]);
  expect(rowErrors).toEqual([{ row_number: BAD_ROW, line: BAD_ROW + 1, column: "email", value: BAD_EMAIL, reason: "is not a valid email address" }]);

  // After a reload the finished import is still listed with its counts and errors.
  await page.reload();
  const again = importRow(page, importId);
  await expect(again.getByText("completed", { exact: true })).toBeVisible();
  await expect(again.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "100");
  await expect(again.getByTestId("import-counts")).toContainText("200 / 200 rows (100 %) · 199 imported · 1 with errors");
  await expect(again.getByTestId("import-error-summary")).toHaveText("email: is not a valid email address (1 row)");
  await expect(again.getByRole("link", { name: "Download rows with errors (CSV)" })).toBeVisible();
  await expect(page.getByLabel("CSV file")).toBeVisible();
});

test("the mapping is saved per source and preselected for the next file with the same columns", async ({ page }) => {
  const ws = await createWorkspace({ members: [{ role: "admin" }] });
  const source = await createSource(ws.id, { name: `Shop export ${uid()}`, kind: "file" });
  const other = await createSource(ws.id, { name: `Other export ${uid()}`, kind: "file" });
  await signIn(page, ws.member("admin"));
  const csv = customersCsv(3);

  await page.goto(importPath(ws.slug, source.id));
  const first = await uploadCsv(page, source.id, writeTempFile("first.csv", csv));
  expect(first.status).toBe(200);
  await expect(page.getByRole("heading", { name: "Map the columns of 3 rows" })).toBeVisible();
  await typeSelect(page, "lifetime_value").selectOption({ label: "number" });
  await typeSelect(page, "signed_up").selectOption({ label: "date" });
  await page.getByLabel("Trait name of first_name").fill("given_name");
  await page.getByRole("button", { name: "Import 3 rows" }).click();
  await expectCompleted(importRow(page, first.importId!));
  expect((await eventsOf(source.id)).map((e) => e.raw.traits)).toContainEqual({ email: "customer1@example.com", given_name: "Name 1", lifetime_value: 10.25, signed_up: "2024-02-02" });

  // The next file on this source opens with the same choices.
  const second = await uploadCsv(page, source.id, writeTempFile("second.csv", csv));
  expect(second.status).toBe(200);
  expect(second.importId).not.toBe(first.importId);
  await expect(page.getByRole("heading", { name: "Map the columns of 3 rows" })).toBeVisible();
  await expect(asSelect(page, "customer_id")).toHaveValue("user_id");
  await expect(asSelect(page, "email")).toHaveValue("email");
  await expect(asSelect(page, "lifetime_value")).toHaveValue("trait");
  await expect(asSelect(page, "lifetime_value").locator("option:checked")).toHaveText("Trait…");
  await expect(typeSelect(page, "lifetime_value")).toHaveValue("number");
  await expect(asSelect(page, "signed_up")).toHaveValue("trait");
  await expect(typeSelect(page, "signed_up")).toHaveValue("date");
  await expect(page.getByLabel("Trait name of first_name")).toHaveValue("given_name");

  // Another source has no saved mapping: plain guesses there.
  await page.goto(importPath(ws.slug, other.id));
  expect((await uploadCsv(page, other.id, writeTempFile("third.csv", csv))).status).toBe(200);
  await expect(typeSelect(page, "lifetime_value")).toHaveValue("string");
  await expect(page.getByLabel("Trait name of first_name")).toHaveValue("first_name");
});

test("a mapping without an identifier is refused and starts nothing; empty and header-only files get a clear upload error", async ({ page }) => {
  const ws = await createWorkspace({ members: [{ role: "admin" }] });
  const source = await createSource(ws.id, { name: `Newsletter ${uid()}`, kind: "file" });
  await signIn(page, ws.member("admin"));
  await page.goto(importPath(ws.slug, source.id));

  const uploaded = await uploadCsv(page, source.id, writeTempFile("customers.csv", customersCsv(3)));
  expect(uploaded.status).toBe(200);
  await expect(page.getByRole("heading", { name: "Map the columns of 3 rows" })).toBeVisible();
  await asSelect(page, "customer_id").selectOption({ label: "Ignore" });
  await asSelect(page, "email").selectOption({ label: "Ignore" });
  await page.getByRole("button", { name: "Import 3 rows" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Map at least one column to an identifier (user id, anonymous id, email, phone or a custom id)." })).toBeVisible();
  await expect(page.getByRole("alert").filter({ hasText: "Check the column mapping." })).toBeVisible();
  // Still on the mapping form, nothing queued, nothing saved, nothing imported.
  await expect(page.getByRole("button", { name: "Import 3 rows" })).toBeEnabled();
  await expect(page.getByRole("heading", { name: "Imports" })).toHaveCount(0);
  expect(await jobOf(uploaded.importId!)).toMatchObject({ status: "draft", mode: null, rows_done: 0 });
  expect(await sql(`SELECT 1 FROM import_mapping_presets WHERE source_id = $1`, [source.id])).toHaveLength(0);
  expect(await eventsOf(source.id)).toHaveLength(0);

  // Back to the file input; the abandoned draft is cancelled.
  await page.getByRole("button", { name: "Choose another file" }).click();
  await expect(page.getByLabel("CSV file")).toBeVisible();
  await expect.poll(async () => (await jobOf(uploaded.importId!)).status).toBe("cancelled");

  // (Next's route announcer is an empty role=alert outside <main>.)
  const uploadError = page.getByRole("main").getByRole("alert");
  const empty = await uploadCsv(page, source.id, { name: "empty.csv", mimeType: "text/csv", buffer: Buffer.alloc(0) });
  expect(empty.status).toBe(400);
  await expect(uploadError).toHaveText("The file is empty.");

  const headerOnly = await uploadCsv(page, source.id, { name: "header-only.csv", mimeType: "text/csv", buffer: Buffer.from("customer_id;email\r\n") });
  expect(headerOnly.status).toBe(400);
  await expect(uploadError).toHaveText("The file has a header but no data rows.");

  await expect(page.getByRole("heading", { name: /Map the columns/ })).toHaveCount(0);
  expect(await sql(`SELECT status::text FROM import_jobs WHERE source_id = $1`, [source.id])).toEqual([{ status: "cancelled" }]);
});

test("a track import stores one event per row with a constant event name, the row's timestamp and typed properties", async ({ page }) => {
  const ws = await createWorkspace({ members: [{ role: "admin" }] });
  const source = await createSource(ws.id, { name: `Point of sale ${uid()}`, kind: "file" });
  await signIn(page, ws.member("admin"));
  await page.goto(importPath(ws.slug, source.id));

  const csv = [
    "email,amount,purchased_at,store",
    "anna@example.com,19.99,2024-03-01T10:15:00Z,Berlin",
    'ben@example.com,5,2024-03-02 08:00,"Paris, Rivoli"',
    "cleo@example.com,120.50,2024-03-03T12:00:00+02:00,Rome",
  ].join("\n");
  const uploaded = await uploadCsv(page, source.id, writeTempFile("purchases.csv", csv));
  expect(uploaded.status).toBe(200);
  const importId = uploaded.importId!;
  await expect(page.getByRole("heading", { name: "Map the columns of 3 rows" })).toBeVisible();
  await expect(page.getByText('Separator detected: ","')).toBeVisible();

  await page.getByRole("radio", { name: /an event/ }).check();
  await page.getByLabel("Event name for every row").fill("Store Purchase");
  await expect(asSelect(page, "email")).toHaveValue("email");
  await asSelect(page, "purchased_at").selectOption({ label: "Timestamp" });
  await asSelect(page, "amount").selectOption({ label: "Event property…" });
  await expect(page.getByLabel("Property name of amount")).toHaveValue("amount");
  await typeSelect(page, "amount").selectOption({ label: "number" });
  await asSelect(page, "store").selectOption({ label: "Event property…" });
  await page.getByLabel("Property name of store").fill("store_name");
  await page.getByRole("button", { name: "Import 3 rows" }).click();

  const row = importRow(page, importId);
  await expectCompleted(row);
  await expect(row).toContainText("events");
  await expect(row.getByTestId("import-counts")).toContainText("3 / 3 rows (100 %) · 3 imported · 0 with errors");
  await expect(row.getByTestId("import-error-summary")).toHaveCount(0);
  await expect(row.getByRole("link", { name: "Download rows with errors (CSV)" })).toHaveCount(0);

  expect(await jobOf(importId)).toEqual({ status: "completed", mode: "track", total_rows: 3, rows_done: 3, rows_imported: 3, rows_failed: 0 });
  const stored = await sql<{ message_id: string; type: string; event: string; user_id: string | null; anonymous_id: string; timestamp: Date; raw: { properties?: unknown; [k: string]: unknown } }>(
    `SELECT message_id, type, event, user_id, anonymous_id, "timestamp", raw FROM events WHERE source_id = $1 ORDER BY message_id`,
    [source.id],
  );
  const anon = (email: string) => `csv-${createHash("sha1").update(`email:${email}`).digest("hex")}`;
  expect(stored.map((e) => ({ message_id: e.message_id, type: e.type, event: e.event, user_id: e.user_id, anonymous_id: e.anonymous_id, timestamp: e.timestamp.toISOString() }))).toEqual([
    { message_id: `csv-${importId}-1`, type: "track", event: "Store Purchase", user_id: null, anonymous_id: anon("anna@example.com"), timestamp: "2024-03-01T10:15:00.000Z" },
    { message_id: `csv-${importId}-2`, type: "track", event: "Store Purchase", user_id: null, anonymous_id: anon("ben@example.com"), timestamp: "2024-03-02T08:00:00.000Z" },
    { message_id: `csv-${importId}-3`, type: "track", event: "Store Purchase", user_id: null, anonymous_id: anon("cleo@example.com"), timestamp: "2024-03-03T10:00:00.000Z" },
  ]);
  expect(stored.map((e) => e.raw.properties)).toEqual([
    { amount: 19.99, store_name: "Berlin" },
    { amount: 5, store_name: "Paris, Rivoli" },
    { amount: 120.5, store_name: "Rome" },
  ]);
  expect(stored[0].raw).toMatchObject({ type: "track", event: "Store Purchase", context: { traits: { email: "anna@example.com" } } });

  // The saved mapping reopens in track mode with the constant event name.
  expect((await uploadCsv(page, source.id, writeTempFile("purchases-2.csv", csv))).status).toBe(200);
  await expect(page.getByRole("radio", { name: /an event/ })).toBeChecked();
  await expect(page.getByLabel("Event name for every row")).toHaveValue("Store Purchase");
  await expect(asSelect(page, "purchased_at")).toHaveValue("timestamp");
  await expect(asSelect(page, "amount")).toHaveValue("property");
  await expect(typeSelect(page, "amount")).toHaveValue("number");
});

test("a marketer has no CSV import tab, gets 403 on the import page and from the upload route", async ({ browser }) => {
  const ws = await createWorkspace({ members: [{ role: "admin" }, { role: "marketer" }] });
  const source = await createSource(ws.id, { name: `CRM export ${uid()}`, kind: "file" });
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await signIn(page, ws.member("marketer"));
    await page.goto(`/${ws.slug}/sources/${source.id}`);
    await expect(sourceTabs(page).filter({ hasText: "Overview" })).toHaveCount(1);
    await expect(sourceTabs(page).filter({ hasText: "Setup" })).toHaveCount(1);
    await expect(sourceTabs(page).filter({ hasText: "CSV import" })).toHaveCount(0);

    const res = await page.goto(importPath(ws.slug, source.id));
    expect(res?.status()).toBe(403);
    await expect(page.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
    await expect(page.getByLabel("CSV file")).toHaveCount(0);

    const upload = await page.request.post(`/api/workspaces/${ws.slug}/sources/${source.id}/imports`, {
      headers: { "Content-Type": "text/csv", "X-File-Name": "customers.csv" },
      data: customersCsv(3),
    });
    expect(upload.status()).toBe(403);
    expect(await upload.json()).toMatchObject({ error: { code: "forbidden" } });
    expect(await sql(`SELECT 1 FROM import_jobs WHERE source_id = $1`, [source.id])).toHaveLength(0);
  } finally {
    await context.close();
  }
});



test("a binary file (not CSV) is refused at upload with a clear error", async ({ page }) => {
  const ws = await createWorkspace({ members: [{ role: "admin" }] });
  const source = await createSource(ws.id, { name: `Newsletter ${uid()}`, kind: "file" });
  await signIn(page, ws.member("admin"));
  await page.goto(importPath(ws.slug, source.id));
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from("IHDR"), Buffer.alloc(64)]);
  const binary = await uploadCsv(page, source.id, { name: "logo.png", mimeType: "image/png", buffer: png });
  expect(binary.status).toBe(400);
  await expect(page.getByRole("main").getByRole("alert")).toBeVisible();
  await expect(page.getByRole("heading", { name: /Map the columns/ })).toHaveCount(0);
  expect(await sql(`SELECT 1 FROM import_jobs WHERE source_id = $1`, [source.id])).toHaveLength(0);
});

test("a column set to Ignore stays ignored on the next upload to the source", async ({ page }) => {
  const ws = await createWorkspace({ members: [{ role: "admin" }] });
  const source = await createSource(ws.id, { name: `Shop export ${uid()}`, kind: "file" });
  await signIn(page, ws.member("admin"));
  await page.goto(importPath(ws.slug, source.id));
  const csv = customersCsv(3);
  const first = await uploadCsv(page, source.id, writeTempFile("first.csv", csv));
  await asSelect(page, "first_name").selectOption({ label: "Ignore" });
  await page.getByRole("button", { name: "Import 3 rows" }).click();
  await expectCompleted(importRow(page, first.importId!));
  expect((await eventsOf(source.id)).every((e) => !("first_name" in (e.raw.traits as Record<string, unknown>)))).toBe(true);

  await uploadCsv(page, source.id, writeTempFile("second.csv", csv));
  await expect(page.getByRole("heading", { name: "Map the columns of 3 rows" })).toBeVisible();
  await expect(asSelect(page, "customer_id")).toHaveValue("user_id");
  await expect(asSelect(page, "first_name")).toHaveValue("ignore", { timeout: 2_000 });
});
