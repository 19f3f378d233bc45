// What every generated bench population needs after its rows are in: ingest batches for the
// stored events (marked processed long ago, so the pipeline worker leaves them alone) and the
// sequences moved past the generated ids; plus the timed-step logger the generators share.
import type pg from "pg";

const INGEST_BATCHES = `
INSERT INTO ingest_batches (workspace_id, source_id, id, first_event_id, last_event_id, event_count, min_received_at, max_received_at, created_at, processed_at)
SELECT $1::uuid, source_id, batch_id, min(id), max(id), count(*)::int, min(received_at), max(received_at), max(received_at), max(received_at) + interval '300 milliseconds'
FROM events WHERE workspace_id = $1 GROUP BY source_id, batch_id
`;

const SEQUENCES = `
SELECT setval(pg_get_serial_sequence('events', 'id'), (SELECT max(id) FROM events));
SELECT setval(pg_get_serial_sequence('identities', 'id'), (SELECT max(id) FROM identities));
SELECT setval(pg_get_serial_sequence('ingest_batches', 'id'), (SELECT max(id) FROM ingest_batches));
`;

export async function writeIngestBookkeeping(client: pg.PoolClient | pg.Client, workspaceId: string) {
  await client.query(INGEST_BATCHES, [workspaceId]);
  await client.query(SEQUENCES);
}

/** Runs one generation step and logs how long it took. */
export async function step(log: (m: string) => void, label: string, run: () => Promise<unknown>) {
  const started = performance.now();
  await run();
  log(`  ${label} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
