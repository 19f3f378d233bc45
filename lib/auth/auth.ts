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
    // Auth.js logs failed sign-ins as errors with the request; keep the log to the error type.
    error: (error) => {
      if (error.name !== "CredentialsSignin" && !("type" in error && error.type === "CredentialsSignin")) console.error(`[auth] ${error.name}: ${error.message.split("\n")[0]}`);
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
