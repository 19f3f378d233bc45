// Group commit for the tracking API: messages of concurrent requests are written together in
// one set-based statement (events + dedupe keys + ingest batch + per-minute stats), and each
// request is acknowledged only when that statement has committed. While a flush is running, new
// requests queue up and go out together in the next one, so batches grow with load by themselves.
//
// Dedupe: a flush first skips keys already in event_dedupe and inserts the rest with a plain
// INSERT (the fast path: no speculative insertion, no join). If a concurrent flush committed the
// same key in between (a client's retry racing its original request), that INSERT fails with a
// unique violation and the flush runs again on the safe path, ON CONFLICT DO NOTHING, storing only
// the events whose key it claimed. Keys are inserted in key order, so concurrent flushes take
// their locks in the same order.
import type pg from "pg";
import type { PreparedMessage } from "@/lib/ingest/parse-tracking-request";

export interface AppendRequest {
  workspaceId: string;
  sourceId: string;
  messages: PreparedMessage[];
}

interface Pending extends AppendRequest {
  resolve: () => void;
  reject: (err: Error) => void;
}

// $1–$9: one array per column (one row per key), $10: the raw messages, one per
// line, $11: the writer slot. Shared by both paths: the rows to store and what follows them.
const ROWS = `
flush AS (SELECT nextval('ingest_batches_id_seq') AS id),
x AS (
  SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[], $9::timestamptz[], string_to_array($10, E'\\n'))
    AS x(w, s, m, t, e, u, a, ts, r, j)
)`;

const STORE = (rows: string) => `
ins AS (
  INSERT INTO events (workspace_id, source_id, batch_id, message_id, type, event, user_id, anonymous_id, timestamp, received_at, raw)
  SELECT x.w, x.s, (SELECT id FROM flush), x.m, x.t, x.e, x.u, x.a, x.ts, x.r, x.j::jsonb FROM ${rows}
  RETURNING workspace_id, source_id, id, type, received_at
),
batches AS (
  INSERT INTO ingest_batches (workspace_id, source_id, id, first_event_id, last_event_id, event_count, min_received_at, max_received_at)
  SELECT workspace_id, source_id, (SELECT id FROM flush), min(id), max(id), count(*)::int, min(received_at), max(received_at) FROM ins GROUP BY workspace_id, source_id
),
stats AS (
  INSERT INTO source_minute_stats AS s (workspace_id, source_id, minute, type, slot, accepted)
  SELECT workspace_id, source_id, date_trunc('minute', received_at), type, $11::smallint, count(*)::int FROM ins GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT (workspace_id, source_id, minute, type, slot) DO UPDATE SET accepted = s.accepted + EXCLUDED.accepted
)
SELECT count(*)::int AS inserted FROM ins`;

const FAST_SQL = `WITH ${ROWS},
fresh AS MATERIALIZED (
  SELECT * FROM x WHERE NOT EXISTS (SELECT 1 FROM event_dedupe d WHERE d.workspace_id = x.w AND d.source_id = x.s AND d.message_id = x.m)
  ORDER BY w, s, m
),
keys AS (INSERT INTO event_dedupe (workspace_id, source_id, message_id, received_at) SELECT w, s, m, r FROM fresh),
${STORE("fresh x")}`;

const SAFE_SQL = `WITH ${ROWS},
claimed AS (
  INSERT INTO event_dedupe (workspace_id, source_id, message_id, received_at)
  SELECT w, s, m, r FROM x ORDER BY w, s, m
  ON CONFLICT (workspace_id, source_id, message_id) DO NOTHING
  RETURNING workspace_id, source_id, message_id
),
${STORE("x JOIN claimed c ON c.workspace_id = x.w AND c.source_id = x.s AND c.message_id = x.m")}`;

// A concurrent flush stored one of our keys first (unique violation), or the two took key locks in
// different orders on the fast path (deadlock, detected by PostgreSQL): run on the safe path.
const KEY_RACE = new Set(["23505", "40P01"]);

export class EventWriter {
  private queue: Pending[] = [];
  private inFlight = 0;
  /** Which writer slots have a flush running (a slot is a flush's own row in source_minute_stats). */
  private busySlots: boolean[] = [];

  constructor(
    private readonly pool: pg.Pool,
    // Measured with npm run bench:ingest on 2 cores: small flushes, two at a time, beat bigger or
    // more parallel ones (the CPU is shared with PostgreSQL).
    private readonly options: { maxRowsPerFlush: number; maxConcurrentFlushes: number } = { maxRowsPerFlush: 1000, maxConcurrentFlushes: 2 },
  ) {}

  /** Resolves once the messages are durably committed (duplicates are skipped, not errors). */
  append(request: AppendRequest): Promise<void> {
    if (request.messages.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ ...request, resolve, reject });
      this.pump();
    });
  }

  private pump() {
    while (this.inFlight < this.options.maxConcurrentFlushes && this.queue.length > 0) {
      const group: Pending[] = [];
      let rows = 0;
      while (this.queue.length > 0 && (group.length === 0 || rows + this.queue[0].messages.length <= this.options.maxRowsPerFlush)) {
        const next = this.queue.shift()!;
        group.push(next);
        rows += next.messages.length;
      }
      this.inFlight++;
      const slot = this.busySlots.findIndex((busy) => !busy);
      const mine = slot === -1 ? this.busySlots.length : slot;
      this.busySlots[mine] = true;
      this.flush(group, mine)
        .then(() => group.forEach((p) => p.resolve()))
        .catch((err: Error) => group.forEach((p) => p.reject(err)))
        .finally(() => {
          this.inFlight--;
          this.busySlots[mine] = false;
          this.pump();
        });
    }
  }

  private async flush(group: Pending[], slot: number) {
    // One row per key: a request may repeat a messageId, or share the flush with its own retry.
    const rows: { w: string; s: string; m: PreparedMessage }[] = [];
    const seen = new Set<string>();
    for (const p of group) {
      for (const m of p.messages) {
        const key = `${p.workspaceId}\u0000${p.sourceId}\u0000${m.messageId}`;
        if (seen.has(key)) continue;
        seen.add(key);
        rows.push({ w: p.workspaceId, s: p.sourceId, m });
      }
    }
    const cols: unknown[][] = Array.from({ length: 9 }, () => []);
    // The raw messages travel as one newline-separated text rather than a text[]: serialised JSON
    // never contains a raw newline, and this spares quoting every message as an array element.
    const json: string[] = [];
    for (const { w, s, m } of rows) {
      cols[0].push(w);
      cols[1].push(s);
      cols[2].push(m.messageId);
      cols[3].push(m.type);
      cols[4].push(m.event);
      cols[5].push(m.userId);
      cols[6].push(m.anonymousId);
      cols[7].push(m.timestamp.toISOString());
      cols[8].push(m.receivedAt.toISOString());
      json.push(m.json);
    }
    const values = [...cols, json.join("\n"), slot];
    try {
      await this.pool.query({ name: "tessera-ingest-fast", text: FAST_SQL, values });
    } catch (err) {
      if (!KEY_RACE.has((err as { code?: string }).code ?? "")) throw err;
      await this.pool.query({ name: "tessera-ingest-safe", text: SAFE_SQL, values });
    }
  }
}
