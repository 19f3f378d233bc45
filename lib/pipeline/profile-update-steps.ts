// The pipeline's extension point: steps that run after each batch has updated profiles, inside the
// same transaction (so what they write commits or rolls back with the profiles). Segment
// evaluation and destination fan-out register here. Unmerge runs them too, for the two profiles.
import type pg from "pg";
import type { PipelineEvent } from "@/lib/pipeline/load-batch-events";
import { computedTraitsStep } from "@/lib/computed-traits/computed-traits-step";
import { segmentMembershipStep } from "@/lib/segments/update-memberships-step";

export interface ProfileUpdate {
  client: pg.PoolClient;
  workspaceId: string;
  /** Profiles whose traits, identifiers or events changed (survivors of merges included). */
  profileIds: string[];
  /** The batch's events, with the profile each resolved to (null: no usable identifier); empty after an unmerge. */
  events: { event: PipelineEvent; profileId: string | null }[];
  /** Profiles merged into others in this batch (they no longer exist on their own). */
  mergedIds?: string[];
  /**
   * Of `profileIds`, those whose traits or identifiers may have changed (new, merge survivors,
   * trait observations, new identifiers); the others only got events. Absent: all of them.
   */
  reshapedIds?: string[];
}

export interface ProfileUpdateStep {
  name: string;
  run: (update: ProfileUpdate) => Promise<void>;
}

// Computed traits first: segment conditions read their values.
export const PROFILE_UPDATE_STEPS: ProfileUpdateStep[] = [computedTraitsStep, segmentMembershipStep];
