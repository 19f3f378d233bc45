// Sessions end: an expired session cookie is not accepted.
import { encode } from "next-auth/jwt";
import { expect, test } from "@playwright/test";
import { createWorkspace } from "./fixtures";

const COOKIE = "__Secure-authjs.session-token";
// Must match AUTH_SECRET in playwright.config.ts's webServer env.
const SECRET = process.env.AUTH_SECRET ?? "e2e-only-secret-0123456789abcdefghijklmnop";

test("an expired session sends the user back to sign-in", async ({ page, context, baseURL }) => {
  const ws = await createWorkspace({ members: [{ role: "admin" }] });
  const admin = ws.member("admin");
  const token = (maxAge: number) => encode({ token: { sub: admin.id, uid: admin.id, email: admin.email, name: admin.name }, secret: SECRET, salt: COOKIE, maxAge });
  const cookie = async (value: string) => context.addCookies([{ name: COOKIE, value, domain: new URL(baseURL!).hostname, path: "/", httpOnly: true, secure: true, sameSite: "Lax" }]);

  // A token that is still valid is accepted: proves the forged cookie is well-formed.
  await cookie(await token(60));
  await page.goto(`/${ws.slug}`);
  await expect(page.getByRole("heading", { level: 1, name: ws.name })).toBeVisible();

  await context.clearCookies();
  await cookie(await token(-120)); // expired two minutes ago (Auth.js accepts 15 s of clock skew)
  await page.goto(`/${ws.slug}`);
  await expect(page).toHaveURL(/\/login\?callbackUrl=/);
});
