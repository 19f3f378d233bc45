// Daily event counts per profile (profile_event_days): what segment and computed-trait windows read
// instead of scanning the event table. The pipeline adds each batch's events, folds a merged
// profile's rows into its survivor, and an unmerge rebuilds both profiles from their events.
import type pg from "pg";
import { isoTimes } from "@/lib/db/bulk-params";

/** Adds events (named ones only: page and identify calls have no event name) to their profiles' days. */
export async function addEventDays(client: pg.PoolClient, ws: string, events: { profileId: string; event: string | null; timestamp: Date }[]) {
  const named = events.filter((e) => e.event !== null);
  if (named.length === 0) return;
  await client.query(
    `INSERT INTO profile_event_days AS d (workspace_id, profile_id, event, day, count)
     SELECT $1, x.profile, x.event, (x.ts AT TIME ZONE 'UTC')::date, count(*)::int
     FROM unnest($2::uuid[], $3::text[], $4::timestamptz[]) AS x(profile, event, ts)
     GROUP BY 2, 3, 4 ORDER BY 2, 3, 4
     ON CONFLICT (workspace_id, profile_id, event, day) DO UPDATE SET count = d.count + EXCLUDED.count`,
    [ws, named.map((e) => e.profileId), named.map((e) => e.event), isoTimes(named.map((e) => e.timestamp))],
  );
}

/** Moves the days of merged profiles to the profiles they merged into. */
export async function foldEventDays(client: pg.PoolClient, ws: string, merged: string[], roots: string[]) {
  if (merged.length === 0) return;
  await client.query(
    `WITH m AS (SELECT * FROM unnest($2::uuid[], $3::uuid[]) AS m(merged, root)),
     moved AS (DELETE FROM profile_event_days d USING m WHERE d.workspace_id = $1 AND d.profile_id = m.merged RETURNING m.root, d.event, d.day, d.count)
     INSERT INTO profile_event_days AS d (workspace_id, profile_id, event, day, count)
     SELECT $1, root, event, day, sum(count)::int FROM moved GROUP BY 2, 3, 4 ORDER BY 2, 3, 4
     ON CONFLICT (workspace_id, profile_id, event, day) DO UPDATE SET count = d.count + EXCLUDED.count`,
    [ws, merged, roots],
  );
}

/** Recounts the days of these profiles from the events of their identifiers (after an unmerge). */
export async function rebuildEventDays(client: pg.PoolClient, ws: string, profileIds: string[]) {
  await client.query(`DELETE FROM profile_event_days WHERE workspace_id = $1 AND profile_id = ANY($2::uuid[])`, [ws, profileIds]);
  await client.query(
    `INSERT INTO profile_event_days (workspace_id, profile_id, event, day, count)
     SELECT $1, i.profile_id, e.event, (e.timestamp AT TIME ZONE 'UTC')::date, count(*)::int
     FROM identities i
     JOIN event_identities a ON a.workspace_id = i.workspace_id AND a.identity_id = i.id
     JOIN events e ON e.workspace_id = a.workspace_id AND e.id = a.event_id AND e.received_at = a.received_at
     WHERE i.workspace_id = $1 AND i.profile_id = ANY($2::uuid[]) AND e.event IS NOT NULL
     GROUP BY 2, 3, 4`,
    [ws, profileIds],
  );
}
