// End-to-end tests in real Chromium against the production server (scripts/start.ts), on the
// throw-away database that scripts/with-temp-postgres.ts provides in DATABASE_URL.
import fs from "node:fs";
import { defineConfig } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3210);
const baseURL = `http://localhost:${PORT}`;

/** Debian's chromium when installed (.ci/run installs it); otherwise the one shipped on npm. */
async function chromiumPath(): Promise<{ executablePath: string; args: string[] }> {
  const flags = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
  const system = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (fs.existsSync(system)) return { executablePath: system, args: flags };
  const { default: chromium } = await import("@sparticuz/chromium");
  // Not chromium.args: those are for AWS Lambda (--single-process crashes when a context closes,
  // --disable-web-security would hide CORS behaviour).
  return { executablePath: await chromium.executablePath(), args: flags };
}
const browser = await chromiumPath();

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: { executablePath: browser.executablePath, args: browser.args },
  },
  projects: [
    // Runs first, on the empty database: the one-time setup page.
    { name: "first-run", testMatch: /first-run\.spec\.ts/ },
    { name: "app", testIgnore: /first-run\.spec\.ts/, dependencies: ["first-run"] },
  ],
  webServer: {
    command: "node --import tsx scripts/start.ts",
    url: `${baseURL}/api/health`,
    reuseExistingServer: false,
    timeout: 300_000,
    stdout: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
    env: {
      PORT: String(PORT),
      HOST: "127.0.0.1",
      AUTH_SECRET: process.env.AUTH_SECRET ?? "e2e-only-secret-0123456789abcdefghijklmnop",
      TESSERA_DATA_DIR: process.env.E2E_DATA_DIR ?? ".data/e2e",
      METRICS_TOKEN: "e2e-metrics-token-0123456789",
    },
  },
});
