// Shared helpers for the end-to-end tests. Every test creates its own workspace and users
// (unique emails and slugs) straight in the throw-away database, so tests never depend on each
// other and nothing is deleted globally.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { expect, type APIRequestContext, type Locator, type Page, type Request } from "@playwright/test";
import { hashPassword } from "../lib/auth/password";

export type Role = "admin" | "marketer" | "agent";

export interface TestUser {
  id: string;
  email: string;
  name: string;
  password: string;
}

export interface TestMember extends TestUser {
  role: Role;
  /** The workspace this member was created for (where sign-in lands). */
  workspaceSlug: string;
}

export interface TestWorkspace {
  id: string;
  slug: string;
  name: string;
  members: TestMember[];
  /** The first member with this role. */
  member(role: Role): TestMember;
}

/** Sidebar sections per role, in order (components/app-shell/workspace-nav.ts). */
export const SECTIONS_BY_ROLE: Record<Role, string[]> = {
  admin: ["Overview", "Sources", "Profiles", "Segments", "Destinations", "Identity", "Governance", "Settings"],
  marketer: ["Overview", "Sources", "Profiles", "Segments", "Destinations", "Identity"],
  agent: ["Overview", "Profiles", "Segments"],
};

export const GENERIC_LOGIN_ERROR = "The email or password is incorrect.";

// ---------------------------------------------------------------------------------------------
// Database

let pool: pg.Pool | undefined;

export function db(): pg.Pool {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: run the e2e tests with `npm run test:e2e`.");
  pool ??= new pg.Pool({ connectionString: url, max: 3, allowExitOnIdle: true, idleTimeoutMillis: 1000 });
  return pool;
}

export async function sql<T extends pg.QueryResultRow = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  return (await db().query<T>(text, params)).rows;
}

/** A short random id for unique emails, names and slugs. */
export function uid(): string {
  return randomBytes(4).toString("hex");
}

export function uniqueEmail(label = "user"): string {
  return `e2e-${label}-${uid()}@example.com`;
}

export function strongPassword(): string {
  return `pw-${randomBytes(9).toString("base64url")}`;
}

export async function createUser(options: { email?: string; name?: string; password?: string; disabled?: boolean } = {}): Promise<TestUser> {
  const email = (options.email ?? uniqueEmail()).toLowerCase();
  const name = options.name ?? `E2E ${email.split("@")[0]}`;
  const password = options.password ?? strongPassword();
  const [row] = await sql<{ id: string }>(
    `INSERT INTO users (id, email, name, password_hash, disabled_at, created_at, updated_at)
     VALUES (gen_random_uuid(), $1, $2, $3, $4, now(), now()) RETURNING id::text`,
    [email, name, await hashPassword(password), options.disabled ? new Date() : null],
  );
  return { id: row.id, email, name, password };
}

export async function addMembership(workspaceId: string, userId: string, role: Role): Promise<void> {
  await sql(
    `INSERT INTO memberships (workspace_id, user_id, role, created_at, updated_at) VALUES ($1, $2, $3::"Role", now(), now())`,
    [workspaceId, userId, role],
  );
}

/**
 * A workspace with the given members; each member is a new user unless `user` is passed (to put
 * one person in several workspaces).
 */
export async function createWorkspace(
  options: { name?: string; slug?: string; members?: { role: Role; name?: string; user?: TestUser }[] } = {},
): Promise<TestWorkspace> {
  const id = uid();
  const name = options.name ?? `E2E Workspace ${id}`;
  const slug = options.slug ?? `e2e-${id}`;
  const [row] = await sql<{ id: string }>(
    `INSERT INTO workspaces (id, slug, name, created_at, updated_at) VALUES (gen_random_uuid(), $1, $2, now(), now()) RETURNING id::text`,
    [slug, name],
  );
  const members: TestMember[] = [];
  for (const m of options.members ?? [{ role: "admin" as const }]) {
    const user = m.user ?? (await createUser({ email: uniqueEmail(m.role), name: m.name }));
    await addMembership(row.id, user.id, m.role);
    members.push({ ...user, role: m.role, workspaceSlug: slug });
  }
  return {
    id: row.id,
    slug,
    name,
    members,
    member(role) {
      const found = members.find((m) => m.role === role);
      if (!found) throw new Error(`No ${role} in workspace ${slug}`);
      return found;
    },
  };
}

export async function membershipRole(workspaceId: string, email: string): Promise<Role | null> {
  const rows = await sql<{ role: Role }>(
    `SELECT m.role::text AS role FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.workspace_id = $1 AND u.email = $2`,
    [workspaceId, email.toLowerCase()],
  );
  return rows[0]?.role ?? null;
}

export async function userExists(email: string): Promise<boolean> {
  return (await sql(`SELECT 1 FROM users WHERE email = $1`, [email.toLowerCase()])).length > 0;
}

// Every browser and API request of the suite comes from the loopback address, so the per-IP
// sign-in counter is shared by all tests: tests that fail sign-ins on purpose clear it afterwards.
const LOOPBACK_IPS = ["127.0.0.1", "::1", "::ffff:127.0.0.1"];

/** Deletes the sign-in throttling rows for these accounts and for the loopback address. */
export async function clearLoginLimits(emails: string[]): Promise<void> {
  const keys = [...emails.map((e) => `login:account:${e.trim().toLowerCase()}`), ...LOOPBACK_IPS.map((ip) => `login:ip:${ip}`)];
  await sql(`DELETE FROM rate_limit_buckets WHERE key = ANY($1)`, [keys]);
}

// ---------------------------------------------------------------------------------------------
// Browser

export function sidebar(page: Page): Locator {
  return page.locator('aside[aria-label="Workspace navigation"]');
}

export function sidebarLinks(page: Page): Locator {
  return sidebar(page).getByRole("navigation", { name: "Workspace" }).getByRole("link");
}

export async function fillLogin(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/**
 * One sign-in attempt from a freshly loaded login page, so an alert seen afterwards belongs to
 * this attempt (the form shows the same message for consecutive failures).
 */
export async function attemptLogin(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/login");
  await expect(page.locator("main form").getByRole("alert")).toHaveCount(0);
  await fillLogin(page, email, password);
}

/** The error alert of the login form. */
export function loginError(page: Page): Locator {
  return page.locator("main form").getByRole("alert");
}

/** Signs in through the login form and waits for the workspace (the member's own by default). */
export async function signIn(page: Page, user: { email: string; password: string; workspaceSlug?: string }, landing?: string): Promise<void> {
  await page.goto("/login");
  await expect(page.getByRole("heading", { name: "Sign in to Tessera" })).toBeVisible();
  await fillLogin(page, user.email, user.password);
  const slug = landing ?? user.workspaceSlug;
  if (slug) await expect(page).toHaveURL(new RegExp(`/${slug}$`));
  else await expect(page).not.toHaveURL(/\/login/);
  await expect(sidebar(page)).toBeVisible();
}

export async function signOut(page: Page): Promise<void> {
  await sidebar(page).getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login\?signedOut=1$/);
  await expect(page.getByText("You have been signed out.")).toBeVisible();
}

// ---------------------------------------------------------------------------------------------
// Server actions: Next sends each call as a POST with a Next-Action header. Tests capture one
// from the UI and replay it (altered) to check the server enforces its rules on its own.

export interface CapturedAction {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** Starts recording server-action POSTs of this page; call the returned function to read them. */
export function recordActions(page: Page): () => Promise<CapturedAction[]> {
  const requests: Request[] = [];
  page.on("request", (r) => {
    if (r.method() === "POST" && r.headers()["next-action"]) requests.push(r);
  });
  return async () =>
    Promise.all(
      requests.map(async (r) => {
        const all = await r.allHeaders();
        const keep = ["next-action", "content-type", "accept", "origin", "next-router-state-tree"];
        const headers = Object.fromEntries(Object.entries(all).filter(([k]) => keep.includes(k.toLowerCase())));
        return { url: r.url(), headers, body: r.postData() ?? "" };
      }),
    );
}

/** Replays a captured server action with `replace` applied to its body; returns status and text. */
export async function replayAction(request: APIRequestContext, action: CapturedAction, replace: [string, string][]): Promise<{ status: number; body: string }> {
  let body = action.body;
  for (const [from, to] of replace) {
    if (!body.includes(from)) throw new Error(`Captured action body does not contain ${JSON.stringify(from)}: ${body}`);
    body = body.split(from).join(to);
  }
  const res = await request.post(action.url, { headers: action.headers, data: body, maxRedirects: 0 });
  return { status: res.status(), body: await res.text() };
}

// ---------------------------------------------------------------------------------------------
// Sources and the tracking API

export type SourceKind = "website" | "server" | "mobile" | "file";

export interface TestSource {
  id: string;
  name: string;
  kind: SourceKind;
  /** The source's current write key. */
  writeKey: string;
}

/** A random 32-character write key, the shape lib/sources/generate-write-key.ts issues. */
export function randomWriteKey(): string {
  return randomBytes(24).toString("base64url").replace(/[-_]/g, "x").slice(0, 32);
}

/** A source with one current write key, straight in the database (the UI path has its own test). */
export async function createSource(
  workspaceId: string,
  options: { name?: string; kind?: SourceKind; enabled?: boolean; allowedOrigins?: string[] } = {},
): Promise<TestSource> {
  const name = options.name ?? `E2E source ${uid()}`;
  const kind = options.kind ?? "website";
  const [row] = await sql<{ id: string }>(
    `INSERT INTO sources (id, workspace_id, name, kind, enabled, allowed_origins, created_at, updated_at)
     VALUES (gen_random_uuid(), $1, $2, $3::"SourceKind", $4, $5, now(), now()) RETURNING id::text`,
    [workspaceId, name, kind, options.enabled ?? true, options.allowedOrigins ?? []],
  );
  const writeKey = randomWriteKey();
  await sql(`INSERT INTO source_write_keys (key, workspace_id, source_id, created_at) VALUES ($1, $2, $3, now())`, [writeKey, workspaceId, row.id]);
  return { id: row.id, name, kind, writeKey };
}

export interface StoredWriteKey {
  key: string;
  expires_at: Date | null;
}

/** The write keys of a source, newest first. */
export async function writeKeysOf(sourceId: string): Promise<StoredWriteKey[]> {
  return sql<StoredWriteKey>(`SELECT key, expires_at FROM source_write_keys WHERE source_id = $1 ORDER BY created_at DESC, key`, [sourceId]);
}

export function basicAuth(writeKey: string): string {
  return `Basic ${Buffer.from(`${writeKey}:`).toString("base64")}`;
}

/**
 * POSTs a message to the tracking API (`path` like "/v1/track" or "/v1/batch") with the write key
 * as Basic auth; returns the status and the parsed JSON answer.
 */
export async function sendTracking(
  request: APIRequestContext,
  writeKey: string,
  path: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await request.post(path, { headers: { Authorization: basicAuth(writeKey), ...headers }, data: body });
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = { text };
  }
  return { status: res.status(), body: parsed };
}

/** Status of a minimal valid track call with this key (for polling key changes, which the server caches ≤ 5 s). */
export async function trackStatus(request: APIRequestContext, writeKey: string, headers: Record<string, string> = {}): Promise<number> {
  const res = await request.post("/v1/track", {
    headers: { Authorization: basicAuth(writeKey), ...headers },
    data: { userId: `probe-${uid()}`, event: "Key Probe" },
  });
  return res.status();
}

export interface StoredEvent {
  message_id: string;
  type: string;
  event: string | null;
  user_id: string | null;
  anonymous_id: string | null;
  raw: Record<string, unknown> & { context?: Record<string, unknown>; properties?: Record<string, unknown> };
}

export async function eventsOf(sourceId: string): Promise<StoredEvent[]> {
  return sql<StoredEvent>(`SELECT message_id, type, event, user_id, anonymous_id, raw FROM events WHERE source_id = $1 ORDER BY id`, [sourceId]);
}

export async function rejectionsOf(sourceId: string): Promise<{ field: string; reason: string; payload: string }[]> {
  return sql(`SELECT field, reason, payload FROM ingest_rejections WHERE source_id = $1 ORDER BY id`, [sourceId]);
}

/** The live debugger row (an <li>) whose summary contains `text`. */
export function debuggerRow(page: Page, text: string | RegExp): Locator {
  return page
    .getByTestId("debugger-list")
    .locator("li")
    .filter({ has: page.getByTestId("debugger-summary").filter({ hasText: text }) });
}
