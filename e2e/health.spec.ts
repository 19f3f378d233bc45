import fs from "node:fs";
import path from "node:path";
import { test, expect } from "@playwright/test";
import { sql } from "./fixtures";

const METRICS_TOKEN = "e2e-metrics-token-0123456789"; // playwright.config.ts webServer.env

test("GET /api/health reports the database up and the migrations current", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  expect(res.headers()["cache-control"]).toContain("no-store");
  const body = (await res.json()) as {
    status: string;
    database: { status: string; latencyMs?: number };
    migrations: { status: string; applied?: number; pending?: string[] };
  };
  expect(body.status).toBe("ok");
  expect(body.database.status).toBe("up");
  expect(typeof body.database.latencyMs).toBe("number");
  expect(body.migrations.status).toBe("current");
  expect(body.migrations.pending).toEqual([]);
  // The count is every migration on disk, all recorded as finished in the database.
  const onDisk = fs.readdirSync(path.resolve(import.meta.dirname, "../prisma/migrations"), { withFileTypes: true }).filter((d) => d.isDirectory()).length;
  const [row] = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`);
  expect(onDisk).toBeGreaterThanOrEqual(1);
  expect(body.migrations.applied).toBe(onDisk);
  expect(row.n).toBe(onDisk);
});

test("GET /api/metrics needs the bearer token", async ({ request }) => {
  const none = await request.get("/api/metrics");
  expect(none.status()).toBe(401);
  expect(await none.text()).not.toContain("tessera_http_requests_total");

  const wrong = await request.get("/api/metrics", { headers: { Authorization: `Bearer ${METRICS_TOKEN.replace(/.$/, "x")}` } });
  expect(wrong.status()).toBe(401);
});

test("GET /api/metrics with the token serves Prometheus metrics with route labels", async ({ request }) => {
  expect((await request.get("/api/health")).status()).toBe(200);
  const res = await request.get("/api/metrics", { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toContain("text/plain");
  const text = await res.text();

  const healthCount = new RegExp(`^tessera_http_requests_total\\{[^}]*route="/api/health"[^}]*status="200"[^}]*\\} (\\d+)`, "m");
  const match = healthCount.exec(text) ?? new RegExp(`^tessera_http_requests_total\\{[^}]*status="200"[^}]*route="/api/health"[^}]*\\} (\\d+)`, "m").exec(text);
  expect(match, "a request counter labelled with the /api/health route").toBeTruthy();
  expect(Number(match![1])).toBeGreaterThanOrEqual(1);
  expect(text).toMatch(/^tessera_http_request_duration_seconds_bucket\{[^}]*route="\/api\/health"[^}]*\} \d+/m);
  expect(text).toMatch(/^tessera_db_pool_connections \d+/m);

  // Route labels are patterns, not raw paths: no workspace slug or id shows up as its own label.
  const routes = new Set([...text.matchAll(/route="([^"]*)"/g)].map((m) => m[1]));
  for (const route of routes) expect(route, "route label").not.toMatch(/\/e2e-[0-9a-f]{8}/);
});
