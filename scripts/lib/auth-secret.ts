import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/** A generated AUTH_SECRET kept in the data directory (0600) when none is configured. */
export function readOrCreateAuthSecret(dataDir: string): { secret: string; created: boolean } {
  const file = path.join(dataDir, "auth-secret");
  if (fs.existsSync(file)) return { secret: fs.readFileSync(file, "utf8").trim(), created: false };
  fs.mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(33).toString("base64url");
  fs.writeFileSync(file, secret, { mode: 0o600 });
  return { secret, created: true };
}
