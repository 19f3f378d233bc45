// The pipeline's extension point: steps that run after each batch has updated profiles, when its
// follow-up is applied (pipeline-follow-ups.ts: in that transaction, so what they write commits or
// rolls back with the batch's anchors and daily counts; profiles are as resolved by then, possibly
// by later batches too). Segment evaluation and destination fan-out register here. Unmerge runs
// them too, for the two profiles.
import type pg from "pg";
import { computedTraitsStep } from "@/lib/computed-traits/computed-traits-step";
import { segmentMembershipStep } from "@/lib/segments/update-memberships-step";

/** What the steps know of an event: which one it was (the cause of a change) and its name. */
export interface StepEvent {
  id: string;
  messageId: string;
  event: string | null;
}

export interface ProfileUpdate {
  client: pg.PoolClient;
  workspaceId: string;
  /** Profiles whose traits, identifiers or events changed (survivors of merges included). */
  profileIds: string[];
  /** The batch's events, with the profile each resolved to (null: no usable identifier); empty after an unmerge. */
  events: { event: StepEvent; profileId: string | null }[];
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

/** The registered steps. Computed traits first: segment conditions read their values. (A function: its modules import this one's importers.) */
export function profileUpdateSteps(): ProfileUpdateStep[] {
  return [computedTraitsStep, segmentMembershipStep];
}
