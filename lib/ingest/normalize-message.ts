// Validation and normalisation of one tracking message: required fields per type, server-side
// messageId, clock-skew-corrected timestamp, request IP. Unknown fields are kept. Anything
// PostgreSQL's jsonb cannot store (NUL characters, lone surrogates, extreme nesting) is refused
// here with the field's path, so bad input is a 400 and never a failed insert.
import { randomUUID } from "node:crypto";
import { MESSAGE_TYPES, type MessageType } from "@/lib/ingest/tracking-routes";

export const MAX_MESSAGE_BYTES = 32 * 1024;
export const MAX_DEPTH = 32;
const MAX_ID_LENGTH = 512;

export interface NormalizedMessage {
  type: MessageType;
  messageId: string;
  userId: string | null;
  anonymousId: string | null;
  event: string | null;
  timestamp: Date;
  receivedAt: Date;
  /** The stored message: the client's fields plus the normalised ones. */
  raw: Record<string, unknown>;
}

export interface MessageProblem {
  field: string;
  message: string;
}

export interface MessageDefaults {
  receivedAt: Date;
  ip?: string;
  /** From the batch envelope; the message's own values win. */
  sentAt?: unknown;
  context?: Record<string, unknown>;
  integrations?: Record<string, unknown>;
  /**
   * False when the request body has no \u0000 or surrogate escape, so no string can hold what
   * jsonb refuses (raw control characters are invalid JSON and bad UTF-8 decodes to U+FFFD).
   */
  checkStrings?: boolean;
}

type Result = { ok: true; message: NormalizedMessage } | { ok: false; problem: MessageProblem };

const fail = (field: string, message: string): Result => ({ ok: false, problem: { field, message } });

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// Lone UTF-16 surrogates survive JSON.parse but jsonb refuses them.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function badString(s: string): string | null {
  if (s.includes("\u0000")) return "contains a NUL character (\\u0000), which cannot be stored";
  if (LONE_SURROGATE.test(s)) return "contains an invalid Unicode sequence (lone surrogate)";
  return null;
}

/** First unstorable value, as a field path, or null. Recursion is bounded by MAX_DEPTH. */
function findUnstorable(value: unknown, path: string, depth: number, checkStrings: boolean): MessageProblem | null {
  if (typeof value === "string") {
    const why = checkStrings ? badString(value) : null;
    return why ? { field: path, message: why } : null;
  }
  if (typeof value !== "object" || value === null) return null;
  if (depth > MAX_DEPTH) return { field: path, message: `is nested more than ${MAX_DEPTH} levels deep` };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = findUnstorable(value[i], `${path}[${i}]`, depth + 1, checkStrings);
      if (p) return p;
    }
    return null;
  }
  for (const key of Object.keys(value)) {
    const keyProblem = checkStrings ? badString(key) : null;
    if (keyProblem) return { field: path ? `${path}.<key>` : "<key>", message: `has a key that ${keyProblem}` };
    const p = findUnstorable((value as Record<string, unknown>)[key], path ? `${path}.${key}` : key, depth + 1, checkStrings);
    if (p) return p;
  }
  return null;
}

/** Ids may be strings or numbers on the wire (analytics-node accepts both); stored as strings. */
function readId(msg: Record<string, unknown>, field: string): { value: string | null } | { error: string } {
  const v = msg[field];
  if (v === undefined || v === null || v === "") return { value: null };
  if (typeof v === "number" && Number.isFinite(v)) return { value: String(v) };
  if (typeof v !== "string") return { error: "must be a string" };
  if (v.length > MAX_ID_LENGTH) return { error: `must be at most ${MAX_ID_LENGTH} characters` };
  return { value: v };
}

function readDate(msg: Record<string, unknown>, field: string): { value: Date | null } | { error: string } {
  const v = msg[field];
  if (v === undefined || v === null) return { value: null };
  if (typeof v !== "string" && typeof v !== "number") return { error: "must be an ISO 8601 date string" };
  const d = new Date(v);
  const t = d.getTime();
  // Years 1970–2200 cover real clocks; anything else is a broken client.
  if (Number.isNaN(t) || t < 0 || t > 7_258_118_400_000) return { error: "must be an ISO 8601 date string" };
  return { value: d };
}

export function normalizeMessage(input: unknown, routeType: MessageType | null, defaults: MessageDefaults): Result {
  if (!isPlainObject(input)) return fail("", "a message must be a JSON object");
  // writeKey is a credential, not data: it is not stored. (Spread and delete only when present:
  // rest destructuring with an excluded key is a slow path in V8, and this runs per message.)
  const msg: Record<string, unknown> = { ...input };
  if (msg.writeKey !== undefined) delete msg.writeKey;

  const declared = msg.type;
  let type: MessageType;
  if (routeType) {
    type = routeType;
  } else if (typeof declared === "string" && (MESSAGE_TYPES as readonly string[]).includes(declared.toLowerCase())) {
    type = declared.toLowerCase() as MessageType;
  } else {
    return fail("type", declared === undefined ? `is required: one of ${MESSAGE_TYPES.join(", ")}` : `must be one of ${MESSAGE_TYPES.join(", ")}`);
  }
  msg.type = type;

  for (const field of ["context", "integrations", "traits", "properties"] as const) {
    if (msg[field] !== undefined && msg[field] !== null && !isPlainObject(msg[field])) return fail(field, "must be a JSON object");
  }

  const ids: Record<string, string | null> = {};
  for (const field of ["messageId", "userId", "anonymousId", "previousId", "groupId"] as const) {
    const r = readId(msg, field);
    if ("error" in r) return fail(field, r.error);
    ids[field] = r.value;
    if (r.value !== null) msg[field] = r.value;
  }
  if (type === "alias") {
    if (!ids.previousId) return fail("previousId", "is required for alias");
    if (!ids.userId) return fail("userId", "is required for alias");
  } else if (!ids.userId && !ids.anonymousId) {
    return fail("userId", "userId or anonymousId is required");
  }
  if (type === "group" && !ids.groupId) return fail("groupId", "is required for group");

  let event: string | null = null;
  if (type === "track") {
    if (typeof msg.event !== "string" || msg.event.trim() === "") return fail("event", "is required for track and must be a non-empty string");
    if (msg.event.length > 200) return fail("event", "must be at most 200 characters");
    event = msg.event;
  }
  if ((type === "page" || type === "screen") && msg.name !== undefined && msg.name !== null && typeof msg.name !== "string") {
    return fail("name", "must be a string");
  }

  const clientTime = readDate(msg, msg.timestamp !== undefined ? "timestamp" : "originalTimestamp");
  if ("error" in clientTime) return fail(msg.timestamp !== undefined ? "timestamp" : "originalTimestamp", clientTime.error);
  if (msg.sentAt === undefined && defaults.sentAt !== undefined) msg.sentAt = defaults.sentAt;
  const sentAt = readDate(msg, "sentAt");
  if ("error" in sentAt) return fail("sentAt", sentAt.error);

  const unstorable = findUnstorable(msg, "", 0, defaults.checkStrings ?? true);
  if (unstorable) return { ok: false, problem: unstorable };

  // Envelope context/integrations are merged under the message's own (message wins).
  if (defaults.context) msg.context = { ...defaults.context, ...(msg.context as Record<string, unknown> | undefined) };
  if (defaults.integrations) msg.integrations = { ...defaults.integrations, ...(msg.integrations as Record<string, unknown> | undefined) };
  if (defaults.ip) {
    const context = (msg.context as Record<string, unknown> | undefined) ?? {};
    if (context.ip === undefined) msg.context = { ...context, ip: defaults.ip };
  }

  const receivedAt = defaults.receivedAt;
  let timestamp = receivedAt;
  if (clientTime.value) {
    msg.originalTimestamp = clientTime.value.toISOString();
    // Clock-skew correction: the client's clock may be off, but sentAt − timestamp (how long the
    // message waited on the device) is measured on that same clock.
    timestamp = sentAt.value ? new Date(receivedAt.getTime() - (sentAt.value.getTime() - clientTime.value.getTime())) : clientTime.value;
  }
  const messageId = ids.messageId ?? randomUUID();
  msg.messageId = messageId;
  msg.timestamp = timestamp.toISOString();
  msg.receivedAt = receivedAt.toISOString();

  return {
    ok: true,
    message: { type, messageId, userId: ids.userId, anonymousId: ids.anonymousId, event, timestamp, receivedAt, raw: msg },
  };
}
