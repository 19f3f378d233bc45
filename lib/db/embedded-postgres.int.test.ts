// The embedded database must survive what a one-command start meets: a parent killed with
// SIGKILL (orphaned postmaster holding the data directory) and a taken port.
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "@/lib/db/embedded-postgres";

const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "tessera-epg-"));
fs.chmodSync(stateDir, 0o755);
const running: EmbeddedPostgres[] = [];
afterAll(async () => {
  for (const p of running) await p.stop();
  fs.rmSync(stateDir, { recursive: true, force: true });
});

async function count(url: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query("SELECT count(*)::int AS n FROM marks")).rows[0].n;
  } finally {
    await c.end();
  }
}

function alive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("embedded PostgreSQL", () => {
  it("recovers after its parent was SIGKILLed, keeping the data", async () => {
    // A child process starts the cluster, writes a row, reports, and is then killed -9.
    const script = `
      import { startEmbeddedPostgres } from ${JSON.stringify(path.resolve("lib/db/embedded-postgres.ts"))};
      import pg from "pg";
      const db = await startEmbeddedPostgres({ stateDir: ${JSON.stringify(stateDir)} });
      const c = new pg.Client({ connectionString: db.url });
      await c.connect();
      await c.query("CREATE TABLE marks (id int); INSERT INTO marks VALUES (1)");
      await c.end();
      console.log("READY " + db.port);
      setInterval(() => {}, 1000);
    `;
    // Plain node with tsx as a loader: the `tsx` CLI would put a wrapper process in between.
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.on("data", (d: Buffer) => {
        const m = /READY (\d+)/.exec(d.toString());
        if (m) resolve(Number(m[1]));
      });
      child.on("exit", (code) => reject(new Error(`child exited early (${code})`)));
    });
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));

    const pidFile = path.join(stateDir, "pg", "postmaster.pid");
    const orphan = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]);
    expect(alive(orphan)).toBe(true); // the orphan really is still there

    const db = await startEmbeddedPostgres({ stateDir, port });
    running.push(db);
    expect(alive(orphan)).toBe(false);
    expect(await count(db.url)).toBe(1);
  });

  it("moves to a free port when its port is taken by something else", async () => {
    await running.pop()!.stop();
    const squatter = net.createServer();
    await new Promise<void>((r) => squatter.listen(0, "127.0.0.1", () => r()));
    const taken = (squatter.address() as net.AddressInfo).port;
    try {
      const db = await startEmbeddedPostgres({ stateDir, port: taken });
      running.push(db);
      expect(db.port).not.toBe(taken);
      expect(await count(db.url)).toBe(1);
    } finally {
      squatter.close();
    }
  });

  it("stops cleanly, removing its pid file", async () => {
    const db = running.pop()!;
    await db.stop();
    expect(fs.existsSync(path.join(stateDir, "pg", "postmaster.pid"))).toBe(false);
  });
});
