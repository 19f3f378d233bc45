import { test, expect } from "@playwright/test";
import {
  attemptLogin,
  clearLoginLimits,
  createUser,
  createWorkspace,
  fillLogin,
  GENERIC_LOGIN_ERROR,
  loginError,
  SECTIONS_BY_ROLE,
  sidebar,
  sidebarLinks,
  signIn,
  signOut,
  sql,
  uniqueEmail,
  type Role,
} from "./fixtures";

const SESSION_COOKIE = "__Secure-authjs.session-token";

test("each role signs in, sees only its sections, and signs out", async ({ page }) => {
  const ws = await createWorkspace({ members: [{ role: "admin" }, { role: "marketer" }, { role: "agent" }] });
  for (const role of ["admin", "marketer", "agent"] as Role[]) {
    const user = ws.member(role);
    await signIn(page, user);
    await expect(page.getByRole("heading", { level: 1, name: ws.name })).toBeVisible();
    await expect(sidebarLinks(page)).toHaveText(SECTIONS_BY_ROLE[role]);
    await expect(sidebar(page).getByTestId("user-name")).toHaveText(user.name);
    const [row] = await sql<{ last_login_at: Date | null }>(`SELECT last_login_at FROM users WHERE id = $1`, [user.id]);
    expect(row.last_login_at, `${role}: last sign-in recorded`).not.toBeNull();

    await signOut(page);
    expect((await page.context().cookies()).map((c) => c.name)).not.toContain(SESSION_COOKIE);
    // Signed out means signed out: the workspace sends back to the login page.
    await page.goto(`/${ws.slug}`);
    await expect(page).toHaveURL(/\/login\?callbackUrl=/);
    await expect(sidebar(page)).toHaveCount(0);
  }
});

test("the email address is not case-sensitive at sign-in", async ({ page }) => {
  const ws = await createWorkspace({ members: [{ role: "marketer" }] });
  const user = ws.member("marketer");
  await signIn(page, { ...user, email: `  ${user.email.toUpperCase()}` });
  await expect(sidebarLinks(page)).toHaveText(SECTIONS_BY_ROLE.marketer);
});

test.describe("failed sign-ins", () => {
  const used: string[] = [];
  test.afterEach(async () => {
    await clearLoginLimits(used.splice(0));
  });

  test("wrong password, unknown account and disabled account get the same message", async ({ page }) => {
    const ws = await createWorkspace({ members: [{ role: "admin" }, { role: "agent" }] });
    const admin = ws.member("admin");
    const disabled = ws.member("agent");
    await sql(`UPDATE users SET disabled_at = now() WHERE id = $1`, [disabled.id]);
    const unknown = uniqueEmail("nobody");
    used.push(admin.email, disabled.email, unknown);

    const attempts = [
      { what: "wrong password", email: admin.email, password: `${admin.password}x` },
      { what: "unknown account", email: unknown, password: "whatever-password-1" },
      { what: "disabled account, right password", email: disabled.email, password: disabled.password },
    ];
    for (const attempt of attempts) {
      await attemptLogin(page, attempt.email, attempt.password);
      await expect(loginError(page), attempt.what).toHaveText(GENERIC_LOGIN_ERROR);
      await expect(page, attempt.what).toHaveURL(/\/login$/);
      expect((await page.context().cookies()).map((c) => c.name), attempt.what).not.toContain(SESSION_COOKIE);
    }
    // A disabled account cannot reach the workspace either.
    await page.goto(`/${ws.slug}`);
    await expect(page).toHaveURL(/\/login\?callbackUrl=/);
  });

  test("a disabled account loses its session at once", async ({ page }) => {
    const ws = await createWorkspace({ members: [{ role: "admin" }] });
    const admin = ws.member("admin");
    used.push(admin.email);
    await signIn(page, admin);
    await sql(`UPDATE users SET disabled_at = now() WHERE id = $1`, [admin.id]);
    await page.goto(`/${ws.slug}/profiles`);
    await expect(page).toHaveURL(/\/login\?callbackUrl=/);
    await expect(page.getByRole("heading", { name: "Sign in to Tessera" })).toBeVisible();
  });

  test("five failures lock the account: the form says so and the API answers 429", async ({ page }) => {
    // Its own account: throttling is per account (5) and per IP (30) in 15 minutes.
    const user = await createUser({ email: uniqueEmail("throttled") });
    used.push(user.email);
    for (let i = 1; i <= 5; i++) {
      await attemptLogin(page, user.email, `wrong-password-${i}`);
      await expect(loginError(page), `attempt ${i}`).toHaveText(GENERIC_LOGIN_ERROR);
    }
    const [bucket] = await sql<{ count: number }>(`SELECT count FROM rate_limit_buckets WHERE key = $1`, [`login:account:${user.email}`]);
    expect(bucket?.count).toBe(5);

    // Even the right password is refused now, with the throttling message instead of the generic one.
    await attemptLogin(page, user.email, user.password);
    await expect(loginError(page)).toContainText("Too many sign-in attempts. Try again in ");
    await expect(page).toHaveURL(/\/login$/);
    expect((await page.context().cookies()).map((c) => c.name)).not.toContain(SESSION_COOKIE);

    // The Auth.js endpoint that API clients post to answers 429 with Retry-After.
    const csrf = await page.request.get("/api/auth/csrf");
    expect(csrf.status()).toBe(200);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    expect(csrfToken).toBeTruthy();
    const res = await page.request.post("/api/auth/callback/credentials", {
      form: { email: user.email, password: user.password, csrfToken },
      maxRedirects: 0,
    });
    expect(res.status()).toBe(429);
    const retryAfter = Number(res.headers()["retry-after"]);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
  });
});

test("the session cookie is httpOnly, Secure and SameSite=Lax", async ({ page }) => {
  const ws = await createWorkspace({ members: [{ role: "agent" }] });
  await signIn(page, ws.member("agent"));
  const session = (await page.context().cookies()).find((c) => c.name === SESSION_COOKIE);
  expect(session, `${SESSION_COOKIE} is set`).toBeTruthy();
  expect(session).toMatchObject({ httpOnly: true, secure: true, sameSite: "Lax", path: "/" });
  // Not readable from page scripts.
  expect(await page.evaluate(() => document.cookie)).not.toContain("authjs.session-token");
});

test("pages carry the security headers and a per-request CSP nonce that the page's scripts use", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to (execute|load|apply)/i.test(m.text())) violations.push(m.text());
  });

  const first = await page.goto("/login");
  const again = await page.request.get("/login");
  for (const res of [first!, again]) {
    const h = res.headers();
    expect(h["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(h["content-security-policy"]).toMatch(/script-src [^;]*'nonce-[A-Za-z0-9+/=]+'/);
    expect(h["x-content-type-options"]).toBe("nosniff");
    expect(h["x-frame-options"]).toBe("DENY");
    expect(h["referrer-policy"]).toBeTruthy();
    expect(h["x-powered-by"]).toBeUndefined();
  }
  const nonceOf = (csp: string) => /'nonce-([^']+)'/.exec(csp)?.[1];
  const nonce = nonceOf(first!.headers()["content-security-policy"]);
  expect(nonce).not.toBe(nonceOf(again.headers()["content-security-policy"]));
  // Next's scripts carry this response's nonce (read through the property: browsers hide the attribute).
  const scriptNonces = await page.locator("script").evaluateAll((els) => els.map((e) => (e as HTMLScriptElement).nonce));
  expect(scriptNonces.length).toBeGreaterThan(0);
  expect(scriptNonces.every((n) => n === nonce)).toBe(true);

  // The app works under that policy: sign in (hydrated form + server action) and load a workspace page.
  const ws = await createWorkspace({ members: [{ role: "admin" }] });
  await fillLogin(page, ws.member("admin").email, ws.member("admin").password);
  await expect(page).toHaveURL(new RegExp(`/${ws.slug}$`));
  const inside = await page.goto(`/${ws.slug}/settings/members`);
  expect(inside!.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(inside!.headers()["x-frame-options"]).toBe("DENY");
  await expect(page.getByRole("button", { name: "Add member" })).toBeEnabled();
  expect(violations).toEqual([]);
});
