// Incremental membership, a pipeline step: after each batch, the profiles it touched are checked in
// memory against the segments the batch can change (segments are evaluated after the segments they
// refer to), and every change becomes a membership row plus an enter/exit record with its cause —
// the event (its id and messageId), a merge, or an unmerge. Runs in the batch's transaction.
import type pg from "pg";
import { decidedWithoutEvents, evaluateRule, type ProfileFacts } from "@/lib/segments/evaluate-segment";
import { dependencyOrder, type ChangeCause } from "@/lib/segments/evaluate-segments";
import { addProfileEvents, eventConditions, loadProfileFacts } from "@/lib/segments/load-profile-facts";
import { parseSegmentRule, referencedComputedTraits, referencedSegments, type RuleGroup, type RuleNode } from "@/lib/segments/segment-rule";
import { recordDailyStats } from "@/lib/segments/segment-stats";
import type { ProfileUpdate, ProfileUpdateStep } from "@/lib/pipeline/profile-update-steps";

interface Change {
  segmentId: string;
  profileId: string;
  kind: "enter" | "exit";
  cause: ChangeCause;
  eventId: string | null;
  messageId: string | null;
  /** Already removed from segment_memberships (exits of merged-away profiles). */
  applied?: boolean;
}

/** Whether the rule's outcome for the profile can depend on its events or other segments (a rule that cannot be evaluated counts as undecided: the check below reports it). */
function dependsOnHistory(rule: RuleNode, facts: ProfileFacts, now: Date): boolean {
  try {
    return decidedWithoutEvents(rule, facts, now) === null;
  } catch {
    return true;
  }
}

export async function updateMemberships(update: ProfileUpdate & { now?: Date; log?: (line: string) => void }): Promise<Change[]> {
  const { client, workspaceId: ws } = update;
  const now = update.now ?? new Date();
  const changes: Change[] = [];

  // Profiles merged into others leave their segments (the survivor is checked below).
  if (update.mergedIds && update.mergedIds.length > 0) {
    const { rows } = await client.query<{ segment_id: string; profile_id: string }>(
      `DELETE FROM segment_memberships WHERE workspace_id = $1 AND profile_id = ANY($2::uuid[]) RETURNING segment_id, profile_id`,
      [ws, update.mergedIds],
    );
    for (const r of rows) changes.push({ segmentId: r.segment_id, profileId: r.profile_id, kind: "exit", cause: "merge", eventId: null, messageId: null, applied: true });
  }

  const { rows } = await client.query<{ id: string; rule: unknown }>(`SELECT id, rule FROM segments WHERE workspace_id = $1`, [ws]);
  if (rows.length > 0 && update.profileIds.length > 0) {
    const segments = dependencyOrder(rows.map((r) => ({ id: r.id, rule: ((p) => (p.ok ? p.rule : null))(parseSegmentRule(r.rule)) })));
    // The last event of each profile in the batch is the cause of its changes; its event names say
    // which event-only segments can have changed.
    const lastEvent = new Map<string, { id: string; messageId: string }>();
    const names = new Map<string, Set<string>>();
    for (const { event, profileId } of update.events) {
      if (!profileId) continue;
      lastEvent.set(profileId, { id: event.id, messageId: event.messageId });
      if (event.event) names.set(profileId, new Set([...(names.get(profileId) ?? []), event.event]));
    }
    const relevant = segments.filter((s): s is { id: string; rule: RuleGroup } => s.rule !== null);
    // Which profiles each segment must check. A profile's membership can only change with its
    // traits or identifiers (reshaped: new, merged into, traits observed, identifiers added), its
    // events of the names the rule counts, its computed-trait values, or its membership of a
    // segment the rule refers to (segments come after those: their candidates are known); time
    // alone is the sweep's. After an unmerge (no events) every profile is checked.
    const reshaped = update.events.length === 0 || !update.reshapedIds ? null : new Set(update.reshapedIds);
    const candidates = new Map<string, string[]>();
    for (const s of relevant) {
      const eventNames = new Set(eventConditions(s.rule).map((c) => c.event));
      const referred = referencedSegments(s.rule).map((id) => new Set(candidates.get(id) ?? []));
      const all = reshaped === null || referencedComputedTraits(s.rule).length > 0;
      candidates.set(s.id, all ? update.profileIds : update.profileIds.filter((id) =>
        reshaped.has(id) || [...(names.get(id) ?? [])].some((n) => eventNames.has(n)) || referred.some((r) => r.has(id))));
    }
    const needed = [...new Set([...candidates.values()].flat())];
    const facts = await loadProfileFacts(client, ws, needed, relevant.map((s) => s.rule));
    // Events (the costly part) only for the profiles whose outcome of some segment depends on them.
    const withEvents = new Set<string>();
    const eventRules: RuleNode[] = [];
    for (const s of relevant) {
      const undecided = candidates.get(s.id)!.filter((id) => {
        const f = facts.get(id);
        return f !== undefined && dependsOnHistory(s.rule, f, now);
      });
      for (const id of undecided) withEvents.add(id);
      if (undecided.length > 0) eventRules.push(s.rule);
    }
    await addProfileEvents(client, ws, facts, [...withEvents], eventRules, now);
    for (const s of relevant) {
      for (const profileId of candidates.get(s.id)!) {
        const f = facts.get(profileId);
        const was = f?.segments.has(s.id) ?? false;
        let is = false;
        try {
          is = f ? evaluateRule(s.rule, f, now) : false;
        } catch (err) {
          // One broken segment never stops the others (nor the pipeline).
          update.log?.(`[segments] ${s.id} could not be checked for ${profileId}: ${(err as Error).message}`);
          continue;
        }
        if (is === was) continue;
        if (f) {
          if (is) f.segments.add(s.id);
          else f.segments.delete(s.id);
        }
        const cause: ChangeCause = update.events.length === 0 ? "unmerge" : lastEvent.has(profileId) ? "event" : "merge";
        const e = lastEvent.get(profileId);
        changes.push({ segmentId: s.id, profileId, kind: is ? "enter" : "exit", cause, eventId: e?.id ?? null, messageId: e?.messageId ?? null });
      }
    }
  }
  await writeChanges(client, ws, changes, now);
  return changes;
}

async function writeChanges(client: pg.PoolClient, ws: string, changes: Change[], now: Date) {
  if (changes.length === 0) return;
  const enters = changes.filter((c) => c.kind === "enter");
  const exits = changes.filter((c) => c.kind === "exit" && !c.applied);
  const at = now.toISOString();
  if (enters.length > 0) {
    await client.query(
      `INSERT INTO segment_memberships (workspace_id, segment_id, profile_id, entered_at) SELECT $1, s, p, $4 FROM unnest($2::uuid[], $3::uuid[]) AS x(s, p) ORDER BY s, p ON CONFLICT DO NOTHING`,
      [ws, enters.map((c) => c.segmentId), enters.map((c) => c.profileId), at],
    );
  }
  if (exits.length > 0) {
    await client.query(
      `DELETE FROM segment_memberships m USING unnest($2::uuid[], $3::uuid[]) AS x(s, p) WHERE m.workspace_id = $1 AND m.segment_id = x.s AND m.profile_id = x.p`,
      [ws, exits.map((c) => c.segmentId), exits.map((c) => c.profileId)],
    );
  }
  await client.query(
    `INSERT INTO segment_membership_changes (workspace_id, segment_id, profile_id, kind, cause, event_id, message_id, at)
     SELECT $1, s, p, k, c, e, m, $8 FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::bigint[], $7::text[]) AS x(s, p, k, c, e, m)`,
    [ws, changes.map((c) => c.segmentId), changes.map((c) => c.profileId), changes.map((c) => c.kind), changes.map((c) => c.cause), changes.map((c) => c.eventId), changes.map((c) => c.messageId), at],
  );
  const perSegment = new Map<string, { segmentId: string; entered: number; exited: number }>();
  for (const c of changes) {
    const s = perSegment.get(c.segmentId) ?? { segmentId: c.segmentId, entered: 0, exited: 0 };
    if (c.kind === "enter") s.entered += 1;
    else s.exited += 1;
    perSegment.set(c.segmentId, s);
  }
  const stats = [...perSegment.values()];
  await client.query(
    `UPDATE segments s SET member_count = s.member_count + x.delta FROM unnest($2::uuid[], $3::int[]) AS x(id, delta) WHERE s.workspace_id = $1 AND s.id = x.id`,
    [ws, stats.map((s) => s.segmentId), stats.map((s) => s.entered - s.exited)],
  );
  await recordDailyStats(client, ws, stats, now);
}

export const segmentMembershipStep: ProfileUpdateStep = { name: "segment-memberships", run: (update) => updateMemberships(update).then(() => undefined) };
