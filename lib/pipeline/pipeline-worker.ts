// The pipeline's worker loop: processes batches back to back while there is work, polls every
// POLL_MS when idle. Any number of loops (in-process or `npm run worker` processes) may run.
import type pg from "pg";
import type { BackgroundWorker } from "@/lib/jobs/job-registry";
import { processPipelineBatch } from "@/lib/pipeline/process-pipeline-batch";

const POLL_MS = 200;
const BACKOFF_MS = 2000;

export function startPipelineWorker(options: { pool?: pg.Pool; log?: (line: string) => void; pollMs?: number } = {}): { stop: () => Promise<void> } {
  const log = options.log ?? ((line: string) => console.log(line));
  let stopping = false;
  let wake: (() => void) | null = null;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const loop = (async () => {
    while (!stopping) {
      try {
        if (await processPipelineBatch({ pool: options.pool })) continue;
        await sleep(options.pollMs ?? POLL_MS);
      } catch (err) {
        log(`[pipeline] batch failed, retrying in ${BACKOFF_MS / 1000} s: ${(err as Error).message}`);
        await sleep(BACKOFF_MS);
      }
    }
  })();
  return {
    stop: async () => {
      stopping = true;
      wake?.();
      await loop;
    },
  };
}

export const pipelineWorker: BackgroundWorker = { name: "pipeline", start: (log) => startPipelineWorker({ log }) };
