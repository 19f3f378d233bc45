// Collects the identifiers an event carries (userId, anonymousId, traits, device, externalIds),
// normalised and ordered strongest first, plus what was refused and why. `raw` comes from the wire,
// so every field is checked before use and nothing here throws on odd shapes.
import { ACCOUNT_IDENTIFIER_TYPE, priorityRank, type IdentitySettings } from "@/lib/identity/identity-settings";
import { normalizeIdentifier } from "@/lib/identity/normalize-identifier";

export interface Identifier {
  type: string;
  value: string;
}

/** `value` is what was received, String()-ed and cut to 200 characters. */
export interface RejectedIdentifier {
  type: string;
  value: string;
  reason: string;
}

export interface EventForResolution {
  type: string;
  userId: string | null;
  anonymousId: string | null;
  raw: Record<string, unknown>;
}

export interface ExtractedIdentifiers {
  /** The person's identifiers: normalised, unique, strongest first (priorityRank, then type name, then value). */
  identifiers: Identifier[];
  rejected: RejectedIdentifier[];
  /** `group` calls: the account's group_id (normalised like a custom id), else null. */
  account: Identifier | null;
  /** `alias` calls: the previousId (trimmed, not blocked), else null. */
  previousId: string | null;
}

export const MAX_IDENTIFIERS_PER_EVENT = 50;
const MAX_REJECTED_VALUE_LENGTH = 200;
// Same rule as identifier types in identity settings, so external ids can be configured there too.
const IDENTIFIER_TYPE = /^[a-z][a-z0-9_]{0,39}$/;

/** `refused`: the reason when the candidate is unusable whatever its value. */
type Candidate = { type: string; raw: unknown; refused?: string };

export function extractIdentifiers(event: EventForResolution, settings: IdentitySettings): ExtractedIdentifiers {
  const raw = asRecord(event.raw);
  const rejected: RejectedIdentifier[] = [];
  const seenRejections = new Set<string>();
  const reject = (type: string, received: unknown, reason: string) => {
    const entry = { type, value: describe(received), reason };
    const key = `${entry.type}\u0000${entry.value}\u0000${reason}`;
    if (seenRejections.has(key)) return;
    seenRejections.add(key);
    rejected.push(entry);
  };

  const found = new Map<string, Identifier & { received: unknown }>();
  for (const candidate of personCandidates(event, raw, settings)) {
    const { type, raw: received } = candidate;
    if (received === undefined || received === null) continue; // absent, not invalid
    const result = candidate.refused ? { ok: false as const, reason: candidate.refused } : normalizeIdentifier(type, received, settings);
    if (!result.ok) {
      reject(type, received, result.reason);
      continue;
    }
    const key = `${type}\u0000${result.value}`;
    if (!found.has(key)) found.set(key, { type, value: result.value, received });
  }

  const sorted = [...found.values()].sort(
    (a, b) => priorityRank(settings, a.type) - priorityRank(settings, b.type) || compare(a.type, b.type) || compare(a.value, b.value),
  );
  for (const extra of sorted.slice(MAX_IDENTIFIERS_PER_EVENT)) reject(extra.type, extra.received, "too many identifiers on one event");
  const identifiers = sorted.slice(0, MAX_IDENTIFIERS_PER_EVENT).map(({ type, value }) => ({ type, value }));

  let account: Identifier | null = null;
  if (event.type === "group" && raw.groupId !== undefined && raw.groupId !== null) {
    const result = normalizeIdentifier(ACCOUNT_IDENTIFIER_TYPE, raw.groupId, settings);
    if (result.ok) account = { type: ACCOUNT_IDENTIFIER_TYPE, value: result.value };
    else reject(ACCOUNT_IDENTIFIER_TYPE, raw.groupId, result.reason);
  }

  let previousId: string | null = null;
  if (event.type === "alias" && raw.previousId !== undefined && raw.previousId !== null) {
    const result = normalizeIdentifier("user_id", raw.previousId, settings);
    if (result.ok) previousId = result.value;
    else reject("previous_id", raw.previousId, result.reason);
  }

  return { identifiers, rejected, account, previousId };
}

function personCandidates(event: EventForResolution, raw: Record<string, unknown>, settings: IdentitySettings): Candidate[] {
  const candidates: Candidate[] = [];
  const add = (type: string, value: unknown) =>
    candidates.push(type === ACCOUNT_IDENTIFIER_TYPE ? { type, raw: value, refused: "group_id identifies accounts, not people" } : { type, raw: value });

  const context = asRecord(raw.context);
  const device = asRecord(context.device);
  add("user_id", event.userId);
  add("anonymous_id", event.anonymousId);
  add("device_id", device.id);
  add("advertising_id", device.advertisingId);

  // Top-level traits describe the person only on identify; on group calls they describe the account.
  const traitSources = [asRecord(context.traits)];
  if (event.type === "identify") traitSources.push(asRecord(raw.traits));
  for (const traits of traitSources) {
    add("email", traits.email);
    add("phone", traits.phone);
    for (const [key, type] of Object.entries(settings.traitIdentifiers)) add(type, own(traits, key));
  }

  for (const entry of Array.isArray(context.externalIds) ? context.externalIds : []) {
    const ext = asRecord(entry);
    if (ext.collection !== undefined && ext.collection !== null && ext.collection !== "users") continue;
    const declared = typeof ext.type === "string" ? ext.type : "";
    const type = externalIdType(declared);
    if (IDENTIFIER_TYPE.test(type)) add(type, ext.id);
    else candidates.push({ type: declared.slice(0, MAX_REJECTED_VALUE_LENGTH), raw: entry === ext ? ext.id : entry, refused: "external id has no valid type" });
  }
  return candidates;
}

/** Segment's free-form externalIds type as an identifier type: "Zendesk ID" → "zendesk_id". */
export function externalIdType(type: string): string {
  return type
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

// Trait keys come from settings: a key such as "constructor" must not find Object.prototype's.
function own(record: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function describe(value: unknown): string {
  let text: string;
  try {
    text = String(value);
  } catch {
    text = Object.prototype.toString.call(value); // e.g. objects without a prototype
  }
  if (text.length <= MAX_REJECTED_VALUE_LENGTH) return text;
  // Don't cut a surrogate pair in half.
  const end = /[\uD800-\uDBFF]/.test(text[MAX_REJECTED_VALUE_LENGTH - 1]) ? MAX_REJECTED_VALUE_LENGTH - 1 : MAX_REJECTED_VALUE_LENGTH;
  return text.slice(0, end);
}
