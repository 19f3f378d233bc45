// npm start runs the background workers (identity pipeline, CSV imports, sweeps) as a child process
// (scripts/worker.ts): the pipeline's JavaScript and the HTTP server's then have an event loop and
// a core each, so a batch never waits behind requests and requests never wait behind a batch. The
// child is restarted if it dies; stop() hands its work in progress back to the queue.
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";

const STOP_TIMEOUT_MS = 30_000;

export function startWorkerProcess(options: { root: string; env: Record<string, string>; log: (line: string) => void }): { stop: () => Promise<void> } {
  let child: ChildProcess | null = null;
  let stopping = false;
  let failures = 0;
  let restart: NodeJS.Timeout | null = null;

  const start = () => {
    const startedAt = Date.now();
    const c = fork(path.join(options.root, "scripts/worker.ts"), [], { cwd: options.root, env: { ...process.env, ...options.env }, execArgv: process.execArgv, stdio: "inherit" });
    child = c;
    c.on("exit", (code, signal) => {
      if (child === c) child = null;
      if (stopping) return;
      failures = Date.now() - startedAt > 60_000 ? 1 : failures + 1;
      const delay = Math.min(30_000, 1000 * 2 ** (failures - 1));
      options.log(`The background workers stopped (${signal ?? `exit code ${code}`}); starting them again in ${delay / 1000} s.`);
      restart = setTimeout(start, delay);
    });
  };
  start();

  return {
    stop: () =>
      new Promise<void>((resolve) => {
        stopping = true;
        if (restart) clearTimeout(restart);
        const c = child;
        if (!c) return resolve();
        const kill = setTimeout(() => c.kill("SIGKILL"), STOP_TIMEOUT_MS);
        c.once("exit", () => {
          clearTimeout(kill);
          resolve();
        });
        c.kill("SIGTERM");
      }),
  };
}
