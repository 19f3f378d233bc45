// Background loop that runs queued imports, one at a time per process: claim, run, repeat; sleep
// when idle. Started once by the server process. Several processes may run it: claims use
// SKIP LOCKED, and a job left running by a process that died is resumed once it is stale.
import type pg from "pg";
import { getPool } from "@/lib/db/pool";
import { runNextImport } from "@/lib/imports/run-import";
import { EventWriter } from "@/lib/ingest/event-writer";

export function startImportWorker(options: { pollIntervalMs?: number; pool?: pg.Pool; log?: (line: string) => void } = {}): { stop: () => Promise<void> } {
  const pollIntervalMs = options.pollIntervalMs ?? 2000;
  const log = options.log ?? ((line: string) => console.log(line));
  let stopping = false;
  const abort = new AbortController();
  let wake: (() => void) | null = null;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        wake = null;
        resolve();
      }, ms);
      wake = () => {
        clearTimeout(timer);
        wake = null;
        resolve();
      };
    });

  const loop = (async () => {
    const pool = options.pool ?? getPool();
    const writer = new EventWriter(pool);
    while (!stopping) {
      try {
        const ran = await runNextImport({ pool, writer, signal: abort.signal });
        if (ran) {
          log(`[imports] ${ran.claim.importId}: ${ran.outcome} at row ${ran.rowsDone}`);
          continue;
        }
      } catch (err) {
        // Already handed back to the queue by runImport; back off before the next claim.
        log(`[imports] run failed: ${(err as Error).message}`);
      }
      if (!stopping) await sleep(pollIntervalMs);
    }
  })();

  return {
    /** Stops claiming; an import in progress stops after its chunks in flight and is queued again. */
    stop: async () => {
      stopping = true;
      abort.abort();
      wake?.();
      await loop;
    },
  };
}
