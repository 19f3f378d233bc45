// Trait observations of a batch: identify traits and context.traits describe the person, a group
// call's traits describe the account. Each observation keeps its lineage (source, message, time).
import type { PipelineEvent } from "@/lib/pipeline/load-batch-events";

export interface TraitObservation {
  profileId: string;
  key: string;
  value: unknown;
  at: Date;
  sourceId: string;
  messageId: string;
}

const MAX_KEY_LENGTH = 200;
const MAX_VALUE_BYTES = 8 * 1024;

const asObject = (v: unknown): Record<string, unknown> | null => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null);

/** `profileOf` tells where an event landed: its person's profile and, for group calls, the account. */
export function collectTraits(events: PipelineEvent[], profileOf: (eventId: string) => { profileId: string; accountProfileId: string | null } | null): TraitObservation[] {
  const out: TraitObservation[] = [];
  const add = (profileId: string, traits: Record<string, unknown>, e: PipelineEvent) => {
    for (const [key, value] of Object.entries(traits)) {
      if (value === undefined || key.length === 0 || key.length > MAX_KEY_LENGTH) continue;
      if (typeof value === "object" && value !== null && JSON.stringify(value).length > MAX_VALUE_BYTES) continue;
      if (typeof value === "string" && value.length > MAX_VALUE_BYTES) continue;
      out.push({ profileId, key, value, at: e.timestamp, sourceId: e.sourceId, messageId: e.messageId });
    }
  };
  for (const e of events) {
    const res = profileOf(e.id);
    if (!res) continue;
    const contextTraits = asObject(asObject(e.raw.context)?.traits) ?? {};
    const ownTraits = asObject(e.raw.traits) ?? {};
    if (e.type === "group") {
      add(res.profileId, contextTraits, e);
      if (res.accountProfileId) add(res.accountProfileId, ownTraits, e);
    } else if (e.type === "identify") {
      add(res.profileId, { ...contextTraits, ...ownTraits }, e);
    } else {
      add(res.profileId, contextTraits, e);
    }
  }
  return out;
}
