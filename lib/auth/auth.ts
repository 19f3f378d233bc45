import NextAuth from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { env } from "@/lib/env";
import { authorizeCredentials } from "@/lib/auth/authorize-credentials";
import { clientIp } from "@/lib/auth/client-ip";

/** Secure cookies everywhere except a plain-http APP_URL on a non-loopback host. */
function useSecureCookies(): boolean {
  const appUrl = env().APP_URL;
  if (!appUrl) return true; // browsers accept Secure cookies from http://localhost
  const u = new URL(appUrl);
  return u.protocol === "https:" || u.hostname === "localhost" || u.hostname === "127.0.0.1";
}

// Lazy config: env is read per request, never at build time.
export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  secret: env().AUTH_SECRET,
  trustHost: true,
  useSecureCookies: useSecureCookies(),
  session: { strategy: "jwt", maxAge: env().SESSION_MAX_AGE, updateAge: 15 * 60 },
  pages: { signIn: "/login", error: "/login" },
  logger: {
    // Failed sign-ins and expired or foreign session cookies are routine; log other errors by
    // type only (Auth.js messages can carry request details).
    error: (error) => {
      const type = "type" in error && typeof error.type === "string" ? error.type : error.name;
      if (type !== "CredentialsSignin" && type !== "JWTSessionError") console.error(`[auth] ${type}`);
    },
    warn: () => {},
    debug: () => {},
  },
  providers: [
    Credentials({
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      authorize: (credentials, request) => authorizeCredentials(credentials, clientIp(request.headers)),
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user?.id) token.uid = user.id;
      return token;
    },
    session({ session, token }) {
      if (typeof token.uid === "string") session.user.id = token.uid;
      return session;
    },
  },
}));
