import { WORKERS, type BackgroundWorker } from "@/lib/jobs/job-registry";

/** Starts every registered background worker; stop() hands work in progress back to the queue. */
export function startJobRunner(options: { workers?: BackgroundWorker[]; log?: (line: string) => void } = {}) {
  const log = options.log ?? ((line: string) => console.log(line));
  const running = (options.workers ?? WORKERS).map((w) => w.start(log));
  return { stop: () => Promise.all(running.map((r) => r.stop())).then(() => undefined) };
}
