// A background worker that runs one task now and then every `everyMs` (maintenance such as
// pruning). Failures are logged and retried at the next tick; stop() waits for a run in progress.
import type { BackgroundWorker } from "@/lib/jobs/job-registry";

export function periodicWorker(name: string, everyMs: number, task: (log: (line: string) => void) => Promise<void>): BackgroundWorker {
  return {
    name,
    start: (log) => {
      let timer: NodeJS.Timeout | undefined;
      let running: Promise<void> = Promise.resolve();
      let stopped = false;
      const tick = () => {
        running = task(log)
          .catch((err: Error) => log(`[${name}] failed, retrying in ${Math.round(everyMs / 1000)} s: ${err.message}`))
          .finally(() => {
            if (!stopped) timer = setTimeout(tick, everyMs);
          });
      };
      tick();
      return {
        stop: async () => {
          stopped = true;
          clearTimeout(timer);
          await running;
        },
      };
    },
  };
}
