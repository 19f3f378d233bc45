// Background workers, in one registry. Each claims its own work from Postgres (FOR UPDATE SKIP
// LOCKED), so any number of processes can run them without doing anything twice. Later work
// (pipeline, segment sweeps, destination delivery) registers here.
import { startImportWorker } from "@/lib/imports/import-worker";
import { importFilesWorker } from "@/lib/imports/prune-import-files";
import { pipelineWorker } from "@/lib/pipeline/pipeline-worker";
import { dedupeWindowWorker } from "@/lib/ingest/dedupe-window";
import { segmentSweepWorker } from "@/lib/segments/sweep-segments";

export interface BackgroundWorker {
  name: string;
  start: (log: (line: string) => void) => { stop: () => Promise<void> };
}

export const WORKERS: BackgroundWorker[] = [pipelineWorker, { name: "csv-import", start: (log) => startImportWorker({ log }) }, dedupeWindowWorker, importFilesWorker, segmentSweepWorker];
