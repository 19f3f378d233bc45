// One CSV row → one tracking message (identify or track), as the tracking API would accept it.
// Pure and precompiled per import (column indexes resolved once), because it runs a million times.
//
// Identity, Segment-style:
// - userId from the user_id column, anonymousId from the anonymous_id column;
// - email and phone go into traits (identify) or context.traits (track), and every identifier
//   that is not the userId (email, phone, custom ids) also goes into context.externalIds as
//   { id, type, collection: "users", encoding: "none" } so the identity graph can link them;
// - a row with neither user_id nor anonymous_id gets anonymousId `csv-<sha1(type:value)>` from its
//   first identifier (email, then phone, then custom ids in column order). It depends only on the
//   identifier, so the same person gets the same anonymousId in every import.
// messageId is `csv-<importId>-<rowNumber>`: re-running a chunk after a crash writes the same ids,
// and the events dedupe key (workspace, source, messageId) drops them.
import { createHash } from "node:crypto";
import type { ImportMapping, ValueType } from "@/lib/imports/import-mapping";
import type { PreparedMessage } from "@/lib/ingest/parse-tracking-request";

export interface RowError {
  rowNumber: number;
  /** Header of the offending column; "" for problems of the whole row. */
  column: string;
  value: string;
  reason: string;
}

export type ImportMessage = Record<string, unknown> & { type: "identify" | "track"; messageId: string };
export type RowResult = { ok: true; message: ImportMessage } | { ok: false; errors: RowError[] };

export const MAX_ERROR_VALUE_CHARS = 200;
const MAX_ID_LENGTH = 512;
const MIN_TIMESTAMP = 0;
const MAX_TIMESTAMP = 7_258_118_400_000; // 2200-01-01, as the tracking API

export function importMessageId(importId: string, rowNumber: number) {
  return `csv-${importId}-${rowNumber}`;
}

// ---------- value parsers (exported for tests and the mapping preview) ----------

type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const EMAIL = /^[^\s@"(),:;<>[\]\\]{1,64}@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.[a-z]{2,63}$/;

export function parseEmail(raw: string): Parsed<string> {
  const v = raw.toLowerCase();
  if (v.length > 254 || !EMAIL.test(v)) return { ok: false, reason: "is not a valid email address" };
  return { ok: true, value: v };
}

export function parsePhone(raw: string): Parsed<string> {
  const compact = raw.replace(/[\s().\-/]/g, "");
  const m = /^(\+?)(\d+)$/.exec(compact);
  if (!m) return { ok: false, reason: "is not a valid phone number (digits, optionally a leading +, spaces, dashes and parentheses)" };
  if (m[2].length < 6 || m[2].length > 20) return { ok: false, reason: `is not a valid phone number (has ${m[2].length} digits; expected 6 to 20)` };
  return { ok: true, value: m[1] + m[2] };
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export function parseNumber(raw: string): Parsed<number> {
  if (!NUMBER.test(raw)) {
    const hint = /^[+-]?\d{1,3}([.,]\d{3})+([.,]\d+)?$|^[+-]?\d+,\d+$/.test(raw) ? " (use a dot as the decimal separator and no thousands separators)" : "";
    return { ok: false, reason: `is not a number${hint}` };
  }
  const n = Number(raw);
  if (!Number.isFinite(n)) return { ok: false, reason: "is not a finite number" };
  return { ok: true, value: n };
}

const TRUE = new Set(["true", "t", "yes", "y", "1"]);
const FALSE = new Set(["false", "f", "no", "n", "0"]);

export function parseBoolean(raw: string): Parsed<boolean> {
  const v = raw.toLowerCase();
  if (TRUE.has(v)) return { ok: true, value: true };
  if (FALSE.has(v)) return { ok: true, value: false };
  return { ok: false, reason: "is not a boolean (use true/false, yes/no or 1/0)" };
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
const DATE_HINT = "use ISO 8601 (2024-03-31 or 2024-03-31T14:05:00Z) or YYYY-MM-DD HH:MM[:SS]; times without a zone are UTC";

/**
 * Dates: YYYY-MM-DD (kept as a calendar date) or a date with time (T or space, optional seconds,
 * fractions and zone; no zone means UTC), returned as an ISO string. Day-first and month-first
 * formats are refused: 03/04/2024 cannot be read safely.
 */
export function parseDate(raw: string): Parsed<{ iso: string; dateOnly: boolean; time: number }> {
  const m = DATE.exec(raw);
  if (!m) {
    if (/^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}/.test(raw)) return { ok: false, reason: `is ambiguous (day and month order is unknown); ${DATE_HINT}` };
    return { ok: false, reason: `is not a date; ${DATE_HINT}` };
  }
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const year = Number(y), month = Number(mo), day = Number(d);
  const hour = h ? Number(h) : 0, minute = mi ? Number(mi) : 0, second = s ? Number(s) : 0;
  const ms = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
  const base = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const check = new Date(base);
  if (month < 1 || month > 12 || check.getUTCDate() !== day || check.getUTCMonth() !== month - 1 || hour > 23 || minute > 59 || second > 59) {
    return { ok: false, reason: "is not a valid calendar date or time" };
  }
  let offsetMinutes = 0;
  if (zone && zone.toUpperCase() !== "Z") {
    const sign = zone[0] === "-" ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    const zh = Number(digits.slice(0, 2)), zm = digits.length > 2 ? Number(digits.slice(2)) : 0;
    if (zh > 23 || zm > 59) return { ok: false, reason: "has an invalid time zone offset" };
    offsetMinutes = sign * (zh * 60 + zm);
  }
  const time = base - offsetMinutes * 60_000;
  if (!h) return { ok: true, value: { iso: `${y}-${mo}-${d}`, dateOnly: true, time } };
  return { ok: true, value: { iso: new Date(time).toISOString(), dateOnly: false, time } };
}

export function parseTyped(raw: string, type: ValueType): Parsed<string | number | boolean> {
  switch (type) {
    case "string":
      return { ok: true, value: raw };
    case "number":
      return parseNumber(raw);
    case "boolean":
      return parseBoolean(raw);
    case "date": {
      const r = parseDate(raw);
      return r.ok ? { ok: true, value: r.value.iso } : r;
    }
  }
}

// ---------- the converter ----------

interface Plan {
  mode: "identify" | "track";
  eventName?: string;
  userId?: number;
  anonymousId?: number;
  eventColumn?: number;
  timestamp?: number;
  emails: number[];
  phones: number[];
  externalIds: { index: number; type: string }[];
  traits: { index: number; key: string; type: ValueType }[];
  properties: { index: number; key: string; type: ValueType }[];
}

function compile(headers: readonly string[], mapping: ImportMapping): Plan {
  const plan: Plan = { mode: mapping.mode, eventName: mapping.eventName, emails: [], phones: [], externalIds: [], traits: [], properties: [] };
  headers.forEach((header, index) => {
    const c = mapping.columns[header];
    if (!c) return;
    switch (c.as) {
      case "user_id": plan.userId = index; break;
      case "anonymous_id": plan.anonymousId = index; break;
      case "event_name": plan.eventColumn = index; break;
      case "timestamp": plan.timestamp = index; break;
      case "email": plan.emails.push(index); break;
      case "phone": plan.phones.push(index); break;
      case "external_id": plan.externalIds.push({ index, type: c.idType }); break;
      case "trait": plan.traits.push({ index, key: c.trait, type: c.type }); break;
      case "property": plan.properties.push({ index, key: c.property, type: c.type }); break;
      case "ignore": break;
    }
  });
  return plan;
}

const truncate = (v: string) => (v.length > MAX_ERROR_VALUE_CHARS ? `${v.slice(0, MAX_ERROR_VALUE_CHARS)}…` : v);
const hashId = (type: string, value: string) => `csv-${createHash("sha1").update(`${type}:${value}`).digest("hex")}`;

export type RowConverter = (fields: readonly string[], rowNumber: number) => RowResult;

interface ExternalId {
  id: string;
  type: string;
  collection: "users";
  encoding: "none";
}

// The converter runs per row: no closures are created inside it (they showed up in profiles).
function addError(errors: RowError[], rowNumber: number, column: string, value: string, reason: string) {
  errors.push({ rowNumber, column, value: truncate(value), reason });
}

function readTyped(fields: readonly string[], headers: readonly string[], cols: Plan["traits"], into: Record<string, unknown>, errors: RowError[], rowNumber: number) {
  for (let i = 0; i < cols.length; i++) {
    const c = cols[i];
    const v = fields[c.index].trim();
    if (!v) continue;
    const r = parseTyped(v, c.type);
    if (r.ok) into[c.key] = r.value;
    else addError(errors, rowNumber, headers[c.index], v, r.reason);
  }
}

function readId(fields: readonly string[], headers: readonly string[], index: number | undefined, errors: RowError[], rowNumber: number): string {
  if (index === undefined) return "";
  const v = fields[index].trim();
  if (v.length > MAX_ID_LENGTH) {
    addError(errors, rowNumber, headers[index], v, `is longer than ${MAX_ID_LENGTH} characters`);
    return "";
  }
  return v;
}

/**
 * Precompiles the mapping for a file's headers. Cells are trimmed; empty cells are "no value"
 * (a trait is not set, an identifier is absent) rather than errors. All problems of a row are
 * reported, one per column.
 */
export function createRowConverter(options: { headers: readonly string[]; mapping: ImportMapping; importId: string }): RowConverter {
  const { headers, importId } = options;
  const plan = compile(headers, options.mapping);
  const width = headers.length;

  return (fields, rowNumber) => {
    const errors: RowError[] = [];
    if (fields.length !== width) {
      addError(errors, rowNumber, "", "", `has ${fields.length} ${fields.length === 1 ? "field" : "fields"}; the header has ${width}`);
      return { ok: false, errors };
    }
    for (let i = 0; i < width; i++) {
      if (fields[i].includes("\u0000")) addError(errors, rowNumber, headers[i], fields[i].replace(/\u0000/g, "\\0"), "contains a NUL character, which cannot be stored");
    }
    if (errors.length > 0) return { ok: false, errors };

    const externalIds: ExternalId[] = [];
    const idTraits: { email?: string; phone?: string } = {};
    const userId = readId(fields, headers, plan.userId, errors, rowNumber);
    const anonymousIdCell = readId(fields, headers, plan.anonymousId, errors, rowNumber);
    for (let i = 0; i < plan.emails.length; i++) {
      const index = plan.emails[i];
      const v = fields[index].trim();
      if (!v) continue;
      const r = parseEmail(v);
      if (!r.ok) addError(errors, rowNumber, headers[index], v, r.reason);
      else {
        idTraits.email ??= r.value;
        externalIds.push({ id: r.value, type: "email", collection: "users", encoding: "none" });
      }
    }
    for (let i = 0; i < plan.phones.length; i++) {
      const index = plan.phones[i];
      const v = fields[index].trim();
      if (!v) continue;
      const r = parsePhone(v);
      if (!r.ok) addError(errors, rowNumber, headers[index], v, r.reason);
      else {
        idTraits.phone ??= r.value;
        externalIds.push({ id: r.value, type: "phone", collection: "users", encoding: "none" });
      }
    }
    for (let i = 0; i < plan.externalIds.length; i++) {
      const { index, type } = plan.externalIds[i];
      const v = readId(fields, headers, index, errors, rowNumber);
      if (v) externalIds.push({ id: v, type, collection: "users", encoding: "none" });
    }

    const traits: Record<string, unknown> = {};
    readTyped(fields, headers, plan.traits, traits, errors, rowNumber);
    if (idTraits.email !== undefined) traits.email = idTraits.email;
    if (idTraits.phone !== undefined) traits.phone = idTraits.phone;

    let event: string | undefined;
    let timestamp: string | undefined;
    let properties: Record<string, unknown> | undefined;
    if (plan.mode === "track") {
      properties = {};
      readTyped(fields, headers, plan.properties, properties, errors, rowNumber);
      const eventColumn = plan.eventColumn === undefined ? "" : headers[plan.eventColumn];
      event = plan.eventColumn !== undefined ? fields[plan.eventColumn].trim() : plan.eventName;
      if (!event) addError(errors, rowNumber, eventColumn, "", "has no event name");
      else if (event.length > 200) addError(errors, rowNumber, eventColumn, event, "is longer than 200 characters (event names)");
      if (plan.timestamp !== undefined) {
        const column = headers[plan.timestamp];
        const v = fields[plan.timestamp].trim();
        const r = v ? parseDate(v) : null;
        if (!r) addError(errors, rowNumber, column, v, "is empty (a timestamp is required)");
        else if (!r.ok) addError(errors, rowNumber, column, v, r.reason);
        else if (r.value.time < MIN_TIMESTAMP || r.value.time > MAX_TIMESTAMP) addError(errors, rowNumber, column, v, "is outside 1970–2200");
        else timestamp = new Date(r.value.time).toISOString();
      }
    }

    if (!userId && !anonymousIdCell && externalIds.length === 0 && errors.length === 0) {
      addError(errors, rowNumber, "", "", "has no identifier (user id, anonymous id, email, phone or custom id are all empty)");
    }
    if (errors.length > 0) return { ok: false, errors };

    const anonymousId = anonymousIdCell || (userId ? undefined : hashId(externalIds[0].type, externalIds[0].id));
    const context: Record<string, unknown> = { import: { id: importId, row: rowNumber } };
    if (externalIds.length > 0) context.externalIds = externalIds;
    const message: ImportMessage = { type: plan.mode, messageId: importMessageId(importId, rowNumber) };
    if (userId) message.userId = userId;
    if (anonymousId) message.anonymousId = anonymousId;
    if (plan.mode === "identify") {
      message.traits = traits;
    } else {
      message.event = event;
      message.properties = properties;
      if (Object.keys(traits).length > 0) context.traits = traits;
      if (timestamp) message.timestamp = timestamp;
    }
    message.context = context;
    return { ok: true, message };
  };
}

/** Single-row convenience over createRowConverter (tests, previews). */
export function rowToMessage(row: readonly string[], headers: readonly string[], mapping: ImportMapping, at: { importId: string; rowNumber: number }): RowResult {
  return createRowConverter({ headers, mapping, importId: at.importId })(row, at.rowNumber);
}

/**
 * The stored form of an import message, exactly as the tracking API's normalizeMessage would
 * produce it (a unit test holds the two together), without re-validating what the converter
 * already guaranteed: ids ≤ 512 characters, event ≤ 200, timestamp within 1970–2200, no NUL,
 * two levels of nesting. Half the CPU of an import went into that second pass.
 */
export function prepareImportMessage(message: ImportMessage, receivedAt: Date): PreparedMessage {
  const raw: Record<string, unknown> = message;
  let timestamp = receivedAt;
  if (typeof message.timestamp === "string") {
    timestamp = new Date(message.timestamp);
    raw.originalTimestamp = message.timestamp;
  }
  raw.timestamp = timestamp.toISOString();
  raw.receivedAt = receivedAt.toISOString();
  return {
    type: message.type,
    messageId: message.messageId,
    userId: typeof message.userId === "string" ? message.userId : null,
    anonymousId: typeof message.anonymousId === "string" ? message.anonymousId : null,
    event: typeof message.event === "string" ? message.event : null,
    timestamp,
    receivedAt,
    json: JSON.stringify(raw),
  };
}
