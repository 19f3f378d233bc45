// The pipeline's worker: two loops on two connections, one resolving batches (the first stage,
// process-pipeline-batch.ts), one applying their follow-ups (pipeline-follow-ups.ts), each back to
// back while there is work and polling every POLL_MS when idle; the first wakes the second as soon
// as it has queued a follow-up. Any number of workers (in-process or `npm run worker` processes)
// may run: the workspace locks keep each stage of a workspace on one connection at a time.
import type pg from "pg";
import type { BackgroundWorker } from "@/lib/jobs/job-registry";
import { applyNextFollowUp } from "@/lib/pipeline/pipeline-follow-ups";
import { resolvePipelineBatch } from "@/lib/pipeline/process-pipeline-batch";

const POLL_MS = 200;
const BACKOFF_MS = 2000;

export function startPipelineWorker(options: { pool?: pg.Pool; log?: (line: string) => void; pollMs?: number } = {}): { stop: () => Promise<void> } {
  const log = options.log ?? ((line: string) => console.log(line));
  let stopping = false;
  const applier = workLoop("follow-up", () => applyNextFollowUp({ pool: options.pool }).then((r) => r !== null));
  const resolver = workLoop("batch", () => resolvePipelineBatch({ pool: options.pool }).then((r) => {
    if (r) applier.wake();
    return r !== null;
  }));

  function workLoop(what: string, step: () => Promise<boolean>) {
    // Woken while working: the next idle sleep is skipped. A backoff after a failure is cut short only by stop().
    let woken = false;
    let interrupt: ((stop: boolean) => void) | null = null;
    const sleep = (ms: number, backoff: boolean) =>
      new Promise<void>((resolve) => {
        if (woken && !backoff) return resolve();
        const timer = setTimeout(resolve, ms);
        interrupt = (stop) => {
          if (!stop && backoff) return;
          clearTimeout(timer);
          resolve();
        };
      }).finally(() => {
        interrupt = null;
      });
    const done = (async () => {
      while (!stopping) {
        woken = false;
        try {
          if (await step()) continue;
          await sleep(options.pollMs ?? POLL_MS, false);
        } catch (err) {
          log(`[pipeline] ${what} failed, retrying in ${BACKOFF_MS / 1000} s: ${(err as Error).message}`);
          await sleep(BACKOFF_MS, true);
        }
      }
    })();
    return {
      done,
      wake: () => {
        woken = true;
        interrupt?.(stopping);
      },
    };
  }

  return {
    stop: async () => {
      stopping = true;
      resolver.wake();
      applier.wake();
      await Promise.all([resolver.done, applier.done]);
    },
  };
}

export const pipelineWorker: BackgroundWorker = { name: "pipeline", start: (log) => startPipelineWorker({ log }) };
