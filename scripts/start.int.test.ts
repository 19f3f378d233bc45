// `npm start` refuses bad situations at once, with a message that says what to do.
import { spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { findFreePort } from "@/lib/db/embedded-postgres";

function start(env: Record<string, string>): Promise<{ code: number | null; output: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.resolve("scripts/start.ts")], {
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", NODE_ENV: "production", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output, ms: Date.now() - started });
    });
  });
}

describe("npm start", () => {
  it("stops with a clear message when the port is taken", async () => {
    const squatter = net.createServer();
    await new Promise<void>((r) => squatter.listen(0, "127.0.0.1", () => r()));
    const port = (squatter.address() as net.AddressInfo).port;
    try {
      const r = await start({ PORT: String(port), HOST: "127.0.0.1", DATABASE_URL: "postgresql://u:p@127.0.0.1:1/x" });
      expect(r.code).toBe(1);
      expect(r.output).toContain(`Port ${port} is already in use on 127.0.0.1. Stop the program using it, or start Tessera on another port: PORT=3001 npm start`);
    } finally {
      squatter.close();
    }
  });

  it("fails fast when DATABASE_URL cannot be reached, naming the host, without printing the password", async () => {
    const r = await start({ PORT: String(await findFreePort()), DATABASE_URL: "postgresql://tessera:s3cret-pw@127.0.0.1:1/tessera" });
    expect(r.code).toBe(1);
    expect(r.output).toContain("Cannot connect to PostgreSQL at 127.0.0.1:1 (connection refused");
    expect(r.output).toContain("DATABASE_URL is set, so Tessera does not start its embedded database");
    expect(r.output).not.toContain("s3cret-pw");
    expect(r.ms).toBeLessThan(20_000);
  });

  it("names each invalid environment variable", async () => {
    const r = await start({ PORT: "http", DATABASE_URL: "mysql://x", AUTH_SECRET: "too-short" });
    expect(r.code).toBe(1);
    expect(r.output).toMatch(/Invalid environment:/);
    expect(r.output).toMatch(/- DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL/);
    expect(r.output).toMatch(/- AUTH_SECRET must be at least 32 characters \(got 9\)/);
    expect(r.output).toMatch(/- PORT must be a port number/);
    expect(r.output).not.toContain("too-short");
  });
});
