// The explorer's sort keys that change with every event (last seen, event count), one row per live
// profile in profile_activity, so that the profile row itself is updated without touching an index
// (see the schema). Whatever writes a profile's counters writes its activity row in the same
// transaction: the pipeline from the state it holds in memory (writeProfileActivity), everything
// else (unmerge, generated populations, fixtures) by copying from the profile rows
// (syncProfileActivity). A merged-away profile has no row.
import type pg from "pg";
import { isoTimes } from "@/lib/db/bulk-params";

export interface ProfileActivity {
  id: string;
  kind: "user" | "account";
  lastSeenAt: Date;
  eventCount: number;
}

/** Inserts or updates these live profiles' rows. */
export async function writeProfileActivity(client: pg.ClientBase, ws: string, profiles: ProfileActivity[]) {
  const unique = [...new Map(profiles.map((p) => [p.id, p])).values()];
  if (unique.length === 0) return;
  await client.query(
    `INSERT INTO profile_activity AS a (workspace_id, profile_id, kind, last_seen_at, event_count)
     SELECT $1, x.id, x.kind::"ProfileKind", x.last, x.events FROM unnest($2::uuid[], $3::text[], $4::timestamptz[], $5::int[]) AS x(id, kind, last, events) ORDER BY x.id
     ON CONFLICT (workspace_id, profile_id) DO UPDATE SET last_seen_at = EXCLUDED.last_seen_at, event_count = EXCLUDED.event_count`,
    [ws, unique.map((p) => p.id), unique.map((p) => p.kind), isoTimes(unique.map((p) => p.lastSeenAt)), unique.map((p) => p.eventCount)],
  );
}

/** Removes the rows of profiles that were merged away. */
export async function removeProfileActivity(client: pg.ClientBase, ws: string, profileIds: string[]) {
  if (profileIds.length === 0) return;
  await client.query(`DELETE FROM profile_activity WHERE workspace_id = $1 AND profile_id = ANY($2::uuid[])`, [ws, profileIds]);
}

/**
 * Makes these profiles' rows (all of the workspace's when `profileIds` is omitted) match the
 * profile rows: live profiles get theirs inserted or updated, merged-away ones lose theirs.
 */
export async function syncProfileActivity(client: pg.ClientBase, ws: string, profileIds?: string[]) {
  const only = profileIds ? `AND p.id = ANY($2::uuid[])` : "";
  const args = profileIds ? [ws, profileIds] : [ws];
  await client.query(
    `DELETE FROM profile_activity a USING profiles p
     WHERE a.workspace_id = $1 AND p.workspace_id = $1 AND p.id = a.profile_id AND p.merged_into_id IS NOT NULL ${only}`,
    args,
  );
  await client.query(
    `INSERT INTO profile_activity AS a (workspace_id, profile_id, kind, last_seen_at, event_count)
     SELECT p.workspace_id, p.id, p.kind, p.last_seen_at, p.event_count FROM profiles p
     WHERE p.workspace_id = $1 AND p.merged_into_id IS NULL ${only} ORDER BY p.id
     ON CONFLICT (workspace_id, profile_id) DO UPDATE SET last_seen_at = EXCLUDED.last_seen_at, event_count = EXCLUDED.event_count`,
    args,
  );
}
