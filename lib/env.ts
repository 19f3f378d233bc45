// The one place that reads process.env. Validated once; every problem is reported by variable
// name, and secret values are never echoed back.
import { z } from "zod";

const boolish = z
  .enum(["true", "false", "1", "0", "yes", "no"], { error: "must be true or false" })
  .transform((v) => v === "true" || v === "1" || v === "yes");

const postgresUrl = z.string().refine((v) => {
  try {
    const u = new URL(v);
    return (u.protocol === "postgres:" || u.protocol === "postgresql:") && u.hostname !== "";
  } catch {
    return false;
  }
}, { error: "must be a postgres:// or postgresql:// URL with a host, e.g. postgresql://user:password@localhost:5432/tessera" });

export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  DATABASE_URL: postgresUrl.optional(),
  AUTH_SECRET: z.string().min(32, { error: (i) => `must be at least 32 characters (got ${String((i.input as string | undefined)?.length ?? 0)}); generate one with: openssl rand -base64 33` }).optional(),
  PORT: z.coerce.number({ error: "must be a port number" }).int({ error: "must be a whole number" }).min(1, { error: "must be between 1 and 65535" }).max(65535, { error: "must be between 1 and 65535" }).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  APP_URL: z.url({ protocol: /^https?$/, error: "must be the public http(s) URL of Tessera, e.g. https://cdp.example.com" }).optional(),
  SESSION_MAX_AGE: z.coerce.number({ error: "must be a number of seconds" }).int().min(300, { error: "must be at least 300 seconds" }).max(30 * 24 * 3600, { error: "must be at most 30 days (2592000 seconds)" }).default(12 * 3600),
  TESSERA_DATA_DIR: z.string().min(1).default(".data"),
  TESSERA_PG_PORT: z.coerce.number({ error: "must be a port number" }).int().min(1).max(65535).default(54329),
  /** shared_buffers of the embedded PostgreSQL; unset: a quarter of the memory, 256 MB–8 GB. */
  TESSERA_PG_SHARED_BUFFERS: z.string().regex(/^[1-9][0-9]*(MB|GB)$/, { error: 'must be a size in MB or GB, e.g. "12GB" or "512MB"' }).optional(),
  /** max_wal_size of the embedded PostgreSQL; unset: 16GB (DEFAULT_MAX_WAL_SIZE). */
  TESSERA_PG_MAX_WAL_SIZE: z.string().regex(/^[1-9][0-9]*(MB|GB)$/, { error: 'must be a size in MB or GB, e.g. "16GB" or "4096MB"' }).optional(),
  TESSERA_DEMO_SEED: boolish.default(true),
  METRICS_TOKEN: z.string().min(16, { error: "must be at least 16 characters" }).optional(),
  /** Bearer token of the cron routes (/api/cron/*); without it they refuse every call. */
  CRON_SECRET: z.string().min(16, { error: "must be at least 16 characters" }).optional(),
  TRUST_PROXY: boolish.default(false),
  TRACKING_RATE_LIMIT: z.coerce.number({ error: "must be a number of messages per second" }).int().min(1, { error: "must be at least 1" }).default(50_000),
});

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "EnvError";
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  // Empty strings mean "unset" (a common result of `FOO= npm start` or blank .env lines).
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = envSchema.safeParse(cleaned);
  if (result.success) return result.data;
  throw new EnvError(result.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`));
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** For the start script, which fills in DATABASE_URL/AUTH_SECRET before the app reads them. */
export function setRuntimeEnv(values: Partial<Record<"DATABASE_URL" | "AUTH_SECRET", string>>) {
  Object.assign(process.env, values);
  cached = undefined;
}

/** A URL safe to print: the password is masked. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "****";
    return u.toString();
  } catch {
    return "(unparseable URL)";
  }
}
