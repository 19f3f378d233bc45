import { describe, expect, it } from "vitest";
import { EnvError, parseEnv, redactUrl } from "@/lib/env";

function problems(source: Record<string, string | undefined>): string[] {
  try {
    parseEnv(source);
  } catch (err) {
    if (err instanceof EnvError) return err.problems;
    throw err;
  }
  return [];
}

describe("environment validation", () => {
  it("applies defaults when nothing is set", () => {
    const env = parseEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.HOST).toBe("0.0.0.0");
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.TESSERA_DATA_DIR).toBe(".data");
    expect(env.TESSERA_DEMO_SEED).toBe(true);
    expect(env.TRUST_PROXY).toBe(false);
    expect(env.SESSION_MAX_AGE).toBe(43_200);
  });

  it("accepts a complete valid configuration", () => {
    const env = parseEnv({
      DATABASE_URL: "postgresql://u:p@db.internal:5432/tessera",
      AUTH_SECRET: "x".repeat(40),
      PORT: "8080",
      APP_URL: "https://cdp.example.com",
      TESSERA_DEMO_SEED: "false",
      TRUST_PROXY: "1",
    });
    expect(env.PORT).toBe(8080);
    expect(env.TESSERA_DEMO_SEED).toBe(false);
    expect(env.TRUST_PROXY).toBe(true);
  });

  it("names an invalid DATABASE_URL", () => {
    const [p] = problems({ DATABASE_URL: "mysql://localhost/db" });
    expect(p).toMatch(/^DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL/);
    expect(problems({ DATABASE_URL: "not a url" })[0]).toMatch(/^DATABASE_URL /);
  });

  it("names a short AUTH_SECRET without echoing it", () => {
    const secret = "short-secret-value";
    const [p] = problems({ AUTH_SECRET: secret });
    expect(p).toMatch(/^AUTH_SECRET must be at least 32 characters \(got 18\)/);
    expect(p).not.toContain(secret);
  });

  it.each([["abc"], ["0"], ["70000"], ["3.5"]])("rejects PORT=%s", (port) => {
    expect(problems({ PORT: port })[0]).toMatch(/^PORT /);
  });

  it("takes the embedded database's shared_buffers as a size in MB or GB", () => {
    expect(parseEnv({ TESSERA_PG_SHARED_BUFFERS: "12GB" }).TESSERA_PG_SHARED_BUFFERS).toBe("12GB");
    expect(parseEnv({}).TESSERA_PG_SHARED_BUFFERS).toBeUndefined();
    for (const bad of ["12", "12 GB", "0MB", "-1GB", "12TB", "1.5GB"]) {
      expect(problems({ TESSERA_PG_SHARED_BUFFERS: bad })[0]).toBe('TESSERA_PG_SHARED_BUFFERS must be a size in MB or GB, e.g. "12GB" or "512MB"');
    }
  });

  it("takes the embedded database's max_wal_size as a size in MB or GB", () => {
    expect(parseEnv({ TESSERA_PG_MAX_WAL_SIZE: "32GB" }).TESSERA_PG_MAX_WAL_SIZE).toBe("32GB");
    expect(parseEnv({}).TESSERA_PG_MAX_WAL_SIZE).toBeUndefined();
    for (const bad of ["16", "16 GB", "0GB", "1.5GB"]) {
      expect(problems({ TESSERA_PG_MAX_WAL_SIZE: bad })[0]).toBe('TESSERA_PG_MAX_WAL_SIZE must be a size in MB or GB, e.g. "16GB" or "4096MB"');
    }
  });

  it("rejects booleans that are not booleans", () => {
    expect(problems({ TRUST_PROXY: "maybe" })[0]).toBe("TRUST_PROXY must be true or false");
  });

  it("reports every problem at once", () => {
    const list = problems({ PORT: "x", DATABASE_URL: "x", SESSION_MAX_AGE: "5" });
    expect(list.map((p) => p.split(" ")[0]).sort()).toEqual(["DATABASE_URL", "PORT", "SESSION_MAX_AGE"]);
    expect(() => parseEnv({ PORT: "x" })).toThrow(/Invalid environment:\n {2}- PORT/);
  });

  it("treats empty strings as unset", () => {
    expect(parseEnv({ DATABASE_URL: "", PORT: "" }).PORT).toBe(3000);
  });

  it("masks passwords in URLs it prints", () => {
    expect(redactUrl("postgresql://user:hunter2@db:5432/x")).toBe("postgresql://user:****@db:5432/x");
    expect(redactUrl("nonsense")).toBe("(unparseable URL)");
  });
});
