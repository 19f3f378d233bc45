// `npm run worker` runs the background workers on their own and stops cleanly on SIGTERM.
import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations } from "@/lib/db/migrate";
import { createEmptyDatabase } from "@/lib/db/test-database";

const STARTED = /\[tessera-worker\] Started workers .*pipeline.* on PostgreSQL at /;

function worker(env: Record<string, string>, options: { sigtermWhen?: RegExp } = {}): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.resolve("scripts/worker.ts")], {
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", NODE_ENV: "production", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    let signalled = false;
    const collect = (d: Buffer) => {
      output += d;
      if (options.sigtermWhen && !signalled && options.sigtermWhen.test(output)) {
        signalled = true;
        child.kill("SIGTERM");
      }
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output, ms: Date.now() - started });
    });
  });
}

let url: string;
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ url, drop } = await createEmptyDatabase());
  await applyMigrations({ connectionString: url });
});
afterAll(async () => {
  await drop();
});

describe("npm run worker", () => {
  it("prints one started line and exits 0 on SIGTERM", async () => {
    const r = await worker({ DATABASE_URL: url }, { sigtermWhen: STARTED });
    expect(r.output).toMatch(STARTED);
    expect(r.output.match(/Started workers/g)).toHaveLength(1);
    expect(r.output).toContain("SIGTERM: stopping");
    expect(r.signal).toBeNull();
    expect(r.code).toBe(0);
  });

  it("fails fast without DATABASE_URL, naming the variable", async () => {
    const r = await worker({});
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBeNull();
    expect(r.output).toContain("DATABASE_URL is not set");
    expect(r.output).not.toMatch(STARTED);
    expect(r.ms).toBeLessThan(20_000);
  });

  it("fails fast when DATABASE_URL cannot be reached, without printing the password", async () => {
    const r = await worker({ DATABASE_URL: "postgresql://tessera:s3cret-pw@127.0.0.1:1/tessera" });
    expect(r.code).toBe(1);
    expect(r.output).toContain("Cannot connect to PostgreSQL at 127.0.0.1:1 (connection refused");
    expect(r.output).not.toContain("s3cret-pw");
    expect(r.output).not.toMatch(STARTED);
  });
});
