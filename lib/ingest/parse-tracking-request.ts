// Turns one HTTP request of the tracking API into normalised messages and per-message
// rejections. Pure: no I/O, so it can be fuzzed with thousands of malformed bodies.
import { MAX_MESSAGE_BYTES, isPlainObject, normalizeMessage, type NormalizedMessage } from "@/lib/ingest/normalize-message";
import type { MessageType } from "@/lib/ingest/tracking-routes";

export const MAX_BATCH_BYTES = 500 * 1024;
export const MAX_BATCH_MESSAGES = 2500;

/** A message ready for storage: the extracted columns and the stored JSON (not the object tree,
 * which would only keep garbage alive while the message waits for its group commit). */
export interface PreparedMessage extends Omit<NormalizedMessage, "raw"> {
  json: string;
}

export interface Rejection {
  index: number;
  field: string;
  message: string;
  /** What the client sent (truncated), for the live debugger. */
  payload: string;
  type: string | null;
}

export type ParsedRequest =
  | { ok: false; status: 400 | 413; field: string; message: string }
  | { ok: true; writeKey: string | null; accepted: PreparedMessage[]; rejected: Rejection[] };

export interface RequestFacts {
  /** Single-message routes pass their type; batch routes pass null. */
  routeType: MessageType | null;
  body: Buffer;
  authorization?: string | null;
  ip?: string;
  receivedAt: Date;
}

function maxBodyBytes(routeType: MessageType | null) {
  return routeType ? MAX_MESSAGE_BYTES : MAX_BATCH_BYTES;
}

/** Write key from `Authorization: Basic base64(key:)`, else from the body (also with Bearer). */
export function writeKeyFrom(authorization: string | null | undefined, body: Record<string, unknown>): string | null {
  if (authorization && /^basic\s+/i.test(authorization)) {
    const decoded = Buffer.from(authorization.replace(/^basic\s+/i, "").trim(), "base64").toString("utf8");
    const key = decoded.split(":")[0]?.trim();
    if (key) return key;
  }
  const fromBody = body.writeKey;
  return typeof fromBody === "string" && fromBody.trim() ? fromBody.trim() : null;
}

function preview(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? "undefined";
  } catch {
    text = "(not printable: nested too deeply)";
  }
  return text.length > 4096 ? `${text.slice(0, 4096)}…` : text;
}

/** One message as the tracking API stores it, or why it would be refused (field "" = the whole message). */
export function prepareMessage(input: unknown, routeType: MessageType | null, defaults: Parameters<typeof normalizeMessage>[2]): { ok: true; message: PreparedMessage } | { ok: false; problem: { field: string; message: string } } {
  const result = normalizeMessage(input, routeType, defaults);
  if (!result.ok) return result;
  const json = JSON.stringify(result.message.raw);
  // A UTF-16 code unit is at most 3 UTF-8 bytes: only long messages need counting.
  if (json.length > MAX_MESSAGE_BYTES / 3 && Buffer.byteLength(json) > MAX_MESSAGE_BYTES) return { ok: false, problem: { field: "", message: `is larger than ${MAX_MESSAGE_BYTES} bytes` } };
  const m = result.message;
  return { ok: true, message: { type: m.type, messageId: m.messageId, userId: m.userId, anonymousId: m.anonymousId, event: m.event, timestamp: m.timestamp, receivedAt: m.receivedAt, json } };
}

export function parseTrackingRequest(facts: RequestFacts): ParsedRequest {
  const limit = maxBodyBytes(facts.routeType);
  if (facts.body.length > limit) {
    return { ok: false, status: 413, field: "body", message: `is ${facts.body.length} bytes; the limit is ${limit} bytes${facts.routeType ? " per message" : " per batch"}` };
  }
  const text = facts.body.toString("utf8");
  if (text.trim() === "") return { ok: false, status: 400, field: "body", message: "is empty; send a JSON object" };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return { ok: false, status: 400, field: "body", message: `is not valid JSON (${(err as Error).message})` };
  }
  if (!isPlainObject(parsed)) return { ok: false, status: 400, field: "body", message: "must be a JSON object" };

  const writeKey = writeKeyFrom(facts.authorization, parsed);
  let items: unknown[];
  let defaults = { receivedAt: facts.receivedAt, ip: facts.ip, checkStrings: /\\u(?:0000|d[89a-f])/i.test(text) } as Parameters<typeof normalizeMessage>[2];
  if (facts.routeType) {
    items = [parsed];
  } else {
    if (!Array.isArray(parsed.batch)) return { ok: false, status: 400, field: "batch", message: "is required and must be an array of messages" };
    if (parsed.batch.length > MAX_BATCH_MESSAGES) return { ok: false, status: 400, field: "batch", message: `has ${parsed.batch.length} messages; the limit is ${MAX_BATCH_MESSAGES}` };
    for (const field of ["context", "integrations"] as const) {
      if (parsed[field] !== undefined && parsed[field] !== null && !isPlainObject(parsed[field])) return { ok: false, status: 400, field, message: "must be a JSON object" };
    }
    items = parsed.batch;
    defaults = {
      ...defaults,
      sentAt: parsed.sentAt,
      context: isPlainObject(parsed.context) ? parsed.context : undefined,
      integrations: isPlainObject(parsed.integrations) ? parsed.integrations : undefined,
    };
  }

  const accepted: PreparedMessage[] = [];
  const rejected: Rejection[] = [];
  const prefix = facts.routeType ? "" : "batch";
  items.forEach((item, index) => {
    const at = (field: string) => (prefix ? `${prefix}[${index}]${field ? `.${field}` : ""}` : field || "body");
    const declaredType = isPlainObject(item) && typeof item.type === "string" ? item.type.slice(0, 20) : facts.routeType;
    const result = prepareMessage(item, facts.routeType, defaults);
    if (result.ok) accepted.push(result.message);
    else rejected.push({ index, field: at(result.problem.field), message: result.problem.message, payload: preview(item), type: declaredType });
  });
  return { ok: true, writeKey, accepted, rejected };
}
