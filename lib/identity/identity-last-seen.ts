// When an identifier was last seen, and from which source: its newest timeline anchor
// (event_identities, read newest first from its primary key), or — for one never anchored since —
// what the pipeline wrote when it created the identity. The pipeline does not rewrite identity rows
// for every event: at 5,000 events/s that UPDATE was a twelfth of each batch, and the anchors
// already hold the answer.

/** SQL: the time identity `i` (an alias of identities) was last seen. */
export const identityLastSeenSql = (i: string) =>
  `greatest(${i}.last_seen_at, (SELECT max(a.timestamp) FROM event_identities a WHERE a.workspace_id = ${i}.workspace_id AND a.identity_id = ${i}.id))`;

/**
 * SQL: joins `alias` with the identity's newest anchor folded in: `alias.last_seen_at` and
 * `alias.last_source_id` (the anchored event's source), else the identity row's own.
 */
export const identityLastSeenJoin = (i: string, alias: string) => `LEFT JOIN LATERAL (
    SELECT a.timestamp, e.source_id FROM event_identities a
    JOIN events e ON e.workspace_id = a.workspace_id AND e.id = a.event_id AND e.received_at = a.received_at
    WHERE a.workspace_id = ${i}.workspace_id AND a.identity_id = ${i}.id ORDER BY a.timestamp DESC LIMIT 1) ${alias}_anchor ON true
  CROSS JOIN LATERAL (SELECT greatest(${i}.last_seen_at, ${alias}_anchor.timestamp) AS last_seen_at,
    CASE WHEN ${alias}_anchor.timestamp > ${i}.last_seen_at THEN ${alias}_anchor.source_id ELSE ${i}.last_source_id END AS last_source_id) ${alias}`;
