import type pg from "pg";
import type { Rejection } from "@/lib/ingest/parse-tracking-request";

/** Rejected messages, for the live debugger and the accepted-vs-rejected chart. One statement. */
export async function recordRejections(pool: pg.Pool, options: { workspaceId: string; sourceId: string; rejected: Rejection[]; receivedAt: Date }) {
  if (options.rejected.length === 0) return;
  const r = options.rejected.slice(0, 100); // enough to debug; the counts include all of them
  await pool.query(
    `WITH ins AS (
       INSERT INTO ingest_rejections (workspace_id, source_id, received_at, field, reason, payload)
       SELECT $1, $2, $3, f, m, p FROM unnest($4::text[], $5::text[], $6::text[]) AS x(f, m, p)
     )
     INSERT INTO source_minute_stats AS s (workspace_id, source_id, minute, type, rejected)
     SELECT $1, $2, date_trunc('minute', $3::timestamptz), t, count(*)::int FROM unnest($7::text[]) AS t GROUP BY t ORDER BY t
     ON CONFLICT (workspace_id, source_id, minute, type, slot) DO UPDATE SET rejected = s.rejected + EXCLUDED.rejected`,
    [
      options.workspaceId,
      options.sourceId,
      options.receivedAt,
      r.map((x) => x.field.replace(/\u0000/g, "\\u0000")),
      r.map((x) => x.message),
      r.map((x) => x.payload.replace(/\u0000/g, "\\u0000")),
      options.rejected.map((x) => (x.type && /^[a-z]{1,20}$/i.test(x.type) ? x.type.toLowerCase() : "invalid")),
    ],
  );
}
