// Keeps computed trait values current after each pipeline batch, inside the batch's transaction:
// the traits whose event occurs in the batch are recomputed for the profiles that got such an event
// (one set-based statement per trait). Merges: the values of merged-away profiles are deleted and
// their traits recomputed for the survivor, which now holds both profiles' events. After an unmerge
// (no events) every trait is recomputed for both profiles. A workspace without computed traits
// costs one indexed query. A trait that fails is recorded on the trait (last_error) and skipped: it
// must never hold up the pipeline, which would retry the batch forever.
import type pg from "pg";
import { computeComputedTrait } from "@/lib/computed-traits/compute-computed-trait";
import { parseComputedTraitDefinition, type ComputedTraitDefinition } from "@/lib/computed-traits/computed-trait-definition";
import type { ProfileUpdate, ProfileUpdateStep } from "@/lib/pipeline/profile-update-steps";

/** How far to follow chains of merges (A into B, B into C) when looking for merged-away profiles. */
const MAX_MERGE_DEPTH = 50;

interface Trait {
  id: string;
  definition: ComputedTraitDefinition;
}

/** The step with an injectable clock (tests); `computedTraitsStep` uses the real time. */
export function createComputedTraitsStep(clock: () => Date = () => new Date()): ProfileUpdateStep {
  return { name: "computed-traits", run: (update) => updateComputedTraits(update, clock()) };
}

export const computedTraitsStep: ProfileUpdateStep = createComputedTraitsStep();

async function updateComputedTraits({ client, workspaceId: ws, profileIds, events }: ProfileUpdate, now: Date) {
  if (profileIds.length === 0) return;
  const { rows } = await client.query<{ id: string; definition: unknown }>(`SELECT id, definition FROM computed_traits WHERE workspace_id = $1`, [ws]);
  if (rows.length === 0) return;
  const traits = rows.flatMap((r) => {
    const definition = parseComputedTraitDefinition(r.definition);
    return definition ? [{ id: r.id, definition }] : [];
  });

  const work = new Map<string, Set<string>>();
  const add = (traitId: string, profileId: string) => {
    const set = work.get(traitId) ?? new Set<string>();
    set.add(profileId);
    work.set(traitId, set);
  };
  if (events.length === 0) {
    // An unmerge: events moved between the two profiles, whatever their names.
    for (const t of traits) for (const p of profileIds) add(t.id, p);
  } else {
    const byEvent = new Map<string, Trait[]>();
    for (const t of traits) byEvent.set(t.definition.event, [...(byEvent.get(t.definition.event) ?? []), t]);
    for (const { event, profileId } of events) {
      if (!profileId || event.event === null) continue;
      for (const t of byEvent.get(event.event) ?? []) add(t.id, profileId);
    }
    // Profiles merged into the batch's survivors (followed through the ledger, which is indexed by
    // survivor): their values go, and each trait they had a value of is recomputed for the survivor.
    const { rows: moved } = await client.query<{ computed_trait_id: string; root: string }>(
      `WITH RECURSIVE absorbed AS (
         SELECT m.survivor_id AS root, m.merged_id AS id, 1 AS depth FROM profile_merges m
         WHERE m.workspace_id = $1 AND m.survivor_id = ANY($2::uuid[]) AND m.undone_at IS NULL
         UNION
         SELECT a.root, m.merged_id, a.depth + 1 FROM absorbed a JOIN profile_merges m ON m.workspace_id = $1 AND m.survivor_id = a.id
         WHERE m.undone_at IS NULL AND a.depth < $3)
       DELETE FROM computed_trait_values v USING absorbed a WHERE v.workspace_id = $1 AND v.profile_id = a.id
       RETURNING v.computed_trait_id, a.root`,
      [ws, profileIds, MAX_MERGE_DEPTH],
    );
    for (const m of moved) add(m.computed_trait_id, m.root);
  }
  const jobs = traits.filter((t) => work.has(t.id)).map((t) => ({ trait: t, profileIds: [...work.get(t.id)!] }));
  if (jobs.length === 0) return;

  const run = (job: (typeof jobs)[number]) => computeComputedTrait({ client, workspaceId: ws, trait: job.trait, now, profileIds: job.profileIds });
  // The common case in one savepoint; only when something fails, trait by trait to find which.
  await client.query("SAVEPOINT computed_traits");
  try {
    for (const job of jobs) await run(job);
    await client.query("RELEASE SAVEPOINT computed_traits");
    return;
  } catch {
    await client.query("ROLLBACK TO SAVEPOINT computed_traits");
    await client.query("RELEASE SAVEPOINT computed_traits");
  }
  for (const job of jobs) {
    await client.query("SAVEPOINT computed_trait");
    try {
      await run(job);
      await client.query("RELEASE SAVEPOINT computed_trait");
    } catch (err) {
      await client.query("ROLLBACK TO SAVEPOINT computed_trait");
      await client.query("RELEASE SAVEPOINT computed_trait");
      await recordFailure(client, ws, job.trait.id, err);
    }
  }
}

async function recordFailure(client: pg.PoolClient, ws: string, traitId: string, err: unknown) {
  console.error(`[computed-traits] trait ${traitId} failed to update`, err);
  await client.query(`UPDATE computed_traits SET last_error = $3 WHERE workspace_id = $1 AND id = $2`, [ws, traitId, `Could not update values: ${err instanceof Error ? err.message : String(err)}`]);
}
