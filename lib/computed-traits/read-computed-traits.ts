// A profile's computed trait values, for the 360 page and the Profile API: each with the trait's
// key, name, definition in words and when the value last changed. Traits without a value for the
// profile are left out (a count of nothing has no value).
import type pg from "pg";
import { getPool } from "@/lib/db/pool";
import { describeComputedTrait, parseComputedTraitDefinition } from "@/lib/computed-traits/computed-trait-definition";

export interface ComputedTraitValue {
  traitId: string;
  key: string;
  name: string;
  description: string;
  /** The property the value was taken from (first/last/most frequent), for masking contact details. */
  property: string | null;
  value: unknown;
  updatedAt: Date;
}

export async function readComputedTraits(options: { workspaceId: string; profileId: string; pool?: pg.Pool | pg.PoolClient }): Promise<ComputedTraitValue[]> {
  const { rows } = await (options.pool ?? getPool()).query<{ id: string; key: string; name: string; definition: unknown; value: unknown; updated_at: Date }>(
    `SELECT t.id, t.key, t.name, t.definition, v.value, v.updated_at
     FROM computed_trait_values v JOIN computed_traits t ON t.workspace_id = v.workspace_id AND t.id = v.computed_trait_id
     WHERE v.workspace_id = $1 AND v.profile_id = $2
     ORDER BY t.key`,
    [options.workspaceId, options.profileId],
  );
  return rows.map((r) => {
    const definition = parseComputedTraitDefinition(r.definition);
    return {
      traitId: r.id,
      key: r.key,
      name: r.name,
      description: definition ? describeComputedTrait(definition) : "",
      property: definition?.property ?? null,
      value: r.value,
      updatedAt: r.updated_at,
    };
  });
}
