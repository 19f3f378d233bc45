// One computed trait for its edit page.
import { getPool } from "@/lib/db/pool";
import { isUuid } from "@/lib/db/uuid";
import { readStoredDefinition, type ComputedTraitDefinition } from "@/lib/computed-traits/computed-trait-definition";

export interface ComputedTraitDetail {
  id: string;
  key: string;
  name: string;
  definition: ComputedTraitDefinition | null;
  /** The stored definition as it is (to prefill a form when it no longer parses). */
  rawDefinition: unknown;
  description: string;
  profiles: number;
  version: number;
  evaluatedAt: Date | null;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export async function getComputedTrait(options: { workspaceId: string; traitId: string }): Promise<ComputedTraitDetail | null> {
  if (!isUuid(options.traitId)) return null;
  const { rows: [r] } = await getPool().query<{ id: string; key: string; name: string; definition: unknown; version: number; evaluated_at: Date | null; last_error: string | null; created_at: Date; updated_at: Date; profiles: number }>(
    `SELECT t.id, t.key, t.name, t.definition, t.version, t.evaluated_at, t.last_error, t.created_at, t.updated_at,
            (SELECT count(*) FROM computed_trait_values v WHERE v.workspace_id = t.workspace_id AND v.computed_trait_id = t.id)::int AS profiles
     FROM computed_traits t WHERE t.workspace_id = $1 AND t.id = $2`,
    [options.workspaceId, options.traitId],
  );
  if (!r) return null;
  const { definition, description } = readStoredDefinition(r.definition);
  return {
    id: r.id,
    key: r.key,
    name: r.name,
    definition,
    rawDefinition: r.definition,
    description,
    profiles: r.profiles,
    version: r.version,
    evaluatedAt: r.evaluated_at,
    lastError: r.last_error,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
