// The real browser SDK (@segment/analytics-next, bundled with esbuild) on a page of another
// origin, sending to Tessera: settings from Tessera's CDN endpoint, CORS answered by the server
// itself (no page.route: while a route is active Chromium's CORS preflights never reach the
// server), events visible in the live debugger without a reload.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { build } from "esbuild";
import { test, expect, type Page, type Response } from "@playwright/test";
import { basicAuth, createSource, createWorkspace, debuggerRow, eventsOf, signIn, sql, trackStatus, uid } from "./fixtures";

const PAGE_SCRIPT = `
import { AnalyticsBrowser } from "@segment/analytics-next";

const config = JSON.parse(document.getElementById("tessera-config").textContent);
const analytics = AnalyticsBrowser.load(
  { writeKey: config.writeKey, cdnURL: config.cdnURL },
  { integrations: { "Segment.io": { apiHost: config.apiHost, protocol: "http" } } },
);
window.analytics = analytics;
analytics.ready(() => { document.getElementById("status").textContent = "ready"; });
document.getElementById("buy").addEventListener("click", () => {
  analytics.track("Buy Clicked", { sku: "X-1" }).then(
    (ctx) => { document.getElementById("status").textContent = "tracked " + ctx.event.messageId; },
    (err) => { document.getElementById("status").textContent = "failed " + err; },
  );
});
`;

let bundle = "";
let shop: http.Server;
/** The SDK page's origin, like http://127.0.0.1:41234: not Tessera's origin. */
let shopOrigin = "";

function sdkPageHtml(config: { writeKey: string; cdnURL: string; apiHost: string }): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Shop</title>
<script type="application/json" id="tessera-config">${JSON.stringify(config)}</script></head>
<body><h1>Shop</h1><button id="buy">Buy</button><p id="status">loading</p>
<script src="/analytics.js"></script></body></html>`;
}

test.beforeAll(async ({ baseURL }) => {
  const result = await build({
    stdin: { contents: PAGE_SCRIPT, resolveDir: process.cwd(), sourcefile: "shop-page.js", loader: "js" },
    bundle: true,
    format: "iife",
    platform: "browser",
    target: "es2020",
    write: false,
    logLevel: "silent",
    define: { "process.env.NODE_ENV": '"production"' },
  });
  bundle = result.outputFiles[0].text;
  expect(bundle).toContain("Buy Clicked");

  const tessera = new URL(baseURL!);
  shop = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://shop.invalid");
    if (url.pathname === "/analytics.js") {
      res.writeHead(200, { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "no-store" }).end(bundle);
      return;
    }
    if (url.pathname === "/") {
      const writeKey = url.searchParams.get("writeKey") ?? "";
      res
        .writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" })
        .end(sdkPageHtml({ writeKey, cdnURL: tessera.origin, apiHost: `${tessera.host}/v1` }));
      return;
    }
    if (url.pathname === "/blank") {
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end("<!doctype html><title>Blank</title><p>blank</p>");
      return;
    }
    res.writeHead(404).end("not found");
  });
  await new Promise<void>((resolve) => shop.listen(0, "127.0.0.1", resolve));
  shopOrigin = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`;
  // Both hosts are loopback, so the origins differ only by host name and port.
  expect(shopOrigin).not.toBe(tessera.origin);
});

test.afterAll(async () => {
  await new Promise<void>((resolve) => (shop ? shop.close(() => resolve()) : resolve()));
});

const isTracking = (baseURL: string) => (r: Response) =>
  r.url().startsWith(`${baseURL}/v1/`) && r.request().method() === "POST" && !/\/v1\/m$/.test(r.url());

async function openShop(page: Page, writeKey: string, baseURL: string) {
  const settings = page.waitForResponse((r) => r.url() === `${baseURL}/v1/projects/${writeKey}/settings`);
  await page.goto(`${shopOrigin}/?writeKey=${encodeURIComponent(writeKey)}`);
  return settings;
}

test("analytics-next on another origin sends a click that appears in the live debugger", async ({ page, context, baseURL }) => {
  const ws = await createWorkspace({ members: [{ role: "admin" }] });
  const source = await createSource(ws.id, { name: `Online shop ${uid()}` });
  await signIn(page, ws.member("admin"));
  await page.goto(`/${ws.slug}/sources/${source.id}`);
  await expect(page.getByTestId("debugger-empty")).toBeVisible();
  await page.evaluate(() => ((window as unknown as { __e2eMark?: number }).__e2eMark = 1));

  const shopPage = await context.newPage();
  // Every request the SDK page makes (the browser's favicon probe aside) must succeed.
  const problems: string[] = [];
  shopPage.on("response", (r) => r.status() >= 400 && !r.url().endsWith("/favicon.ico") && problems.push(`${r.status()} ${r.request().method()} ${r.url()}`));
  shopPage.on("requestfailed", (r) => problems.push(`failed ${r.method()} ${r.url()}: ${r.failure()?.errorText}`));
  const settings = await openShop(shopPage, source.writeKey, baseURL!);
  // The settings come from Tessera, readable cross-origin.
  expect(settings.status()).toBe(200);
  expect(await settings.headerValue("access-control-allow-origin")).toBe(shopOrigin);
  expect(await settings.json()).toMatchObject({ integrations: { "Segment.io": { apiKey: source.writeKey } } });
  await expect(shopPage.locator("#status")).toHaveText("ready");

  const sent = shopPage.waitForResponse(isTracking(baseURL!));
  await shopPage.getByRole("button", { name: "Buy" }).click();
  const response = await sent;
  expect(response.status()).toBe(200);
  expect(await response.headerValue("access-control-allow-origin")).toBe(shopOrigin);
  expect(await response.request().headerValue("origin")).toBe(shopOrigin);
  await expect(shopPage.locator("#status")).toHaveText(/^tracked /);
  const messageId = (await shopPage.locator("#status").textContent())!.replace(/^tracked /, "");
  const anonymousId = await shopPage.evaluate(async () => {
    const user = await (window as unknown as { analytics: { user(): Promise<{ anonymousId(): string | null }> } }).analytics.user();
    return user.anonymousId();
  });
  expect(anonymousId).toBeTruthy();

  // Live in the admin's Overview, without a reload.
  const row = debuggerRow(page, `Buy Clicked · ${anonymousId}`);
  await expect(row).toBeVisible();
  await row.getByTestId("debugger-summary").click();
  await expect(row.locator("pre")).toContainText(`"messageId": "${messageId}"`);
  await expect(row.locator("pre")).toContainText('"sku": "X-1"');
  expect(await page.evaluate(() => (window as unknown as { __e2eMark?: number }).__e2eMark)).toBe(1);

  const events = await eventsOf(source.id);
  expect(events).toHaveLength(1);
  const [event] = events;
  expect(event).toMatchObject({ type: "track", event: "Buy Clicked", message_id: messageId, anonymous_id: anonymousId, user_id: null });
  expect(event.raw.anonymousId).toBe(anonymousId);
  expect(event.raw.properties).toEqual({ sku: "X-1" });
  const library = (event.raw.context as { library?: { name?: string; version?: string } }).library;
  expect(library?.name).toBe("analytics.js");
  expect(library?.version).toMatch(/next-1\.\d+\.\d+/);
  expect((event.raw.context as { page?: { url?: string } }).page?.url).toContain(shopOrigin);
  expect(problems).toEqual([]);
});

test("a cross-origin JSON request passes the CORS preflight only from allowed origins", async ({ page, baseURL }) => {
  const ws = await createWorkspace({ members: [{ role: "admin" }] });
  const source = await createSource(ws.id, { allowedOrigins: ["https://shop.example"] });
  await page.goto(`${shopOrigin}/blank`);

  // application/json + Authorization make Chromium send a real preflight to Tessera first.
  const post = (event: string) =>
    page.evaluate(
      async ({ url, auth, event }) => {
        try {
          const res = await fetch(url, {
            method: "POST",
            headers: { "Content-Type": "application/json", Authorization: auth },
            body: JSON.stringify({ userId: "browser-user", event }),
          });
          return { status: res.status, body: await res.text() };
        } catch (err) {
          return { error: String(err) };
        }
      },
      { url: `${baseURL}/v1/track`, auth: basicAuth(source.writeKey), event },
    );

  // Not in the list: the server answers 403 without CORS headers, so the page cannot even read it.
  const blocked = await post("Blocked Click");
  expect(blocked).toHaveProperty("error");
  expect(await eventsOf(source.id)).toHaveLength(0);

  // Once the shop's origin is allowed (the key cache lasts ≤ 5 s), the same request succeeds.
  await sql(`UPDATE sources SET allowed_origins = $2 WHERE id = $1`, [source.id, ["https://shop.example", shopOrigin]]);
  await expect.poll(() => trackStatus(page.request, source.writeKey, { Origin: shopOrigin }), { timeout: 10_000 }).toBe(200);
  const allowed = await post("Allowed Click");
  expect(allowed).toEqual({ status: 200, body: '{"success":true}' });
  const events = await eventsOf(source.id);
  expect(events.map((e) => e.event)).toContain("Allowed Click");
  expect(events.map((e) => e.event)).not.toContain("Blocked Click");
});
