// A profile's unified timeline: the events of its identifiers (event_identities anchors each event
// to one identifier), newest first, a page at a time with an opaque cursor, filtered by type,
// source and event name. An account's timeline is the group calls that linked its users to it.
// Contact details in the events are masked for roles without profiles.read_pii.
import type pg from "pg";
import { getPool } from "@/lib/db/pool";
import { isUuid } from "@/lib/db/uuid";
import { AppError } from "@/lib/errors";
import { isPiiTrait, maskEmail, maskValue, visibleIdentifier } from "@/lib/profiles/mask-pii";

export const TIMELINE_PAGE_SIZE = 25;
export const MAX_TIMELINE_PAGE_SIZE = 100;
const MAX_FILTER_VALUES = 20;
const MAX_FILTER_LENGTH = 200;
/** The filter menus read at most this many of each identifier's most recent events. */
const FACET_EVENTS = 10_000;

export interface TimelineFilters {
  types: string[];
  sourceIds: string[];
  events: string[];
}

export const NO_TIMELINE_FILTERS: TimelineFilters = { types: [], sourceIds: [], events: [] };

export interface TimelineEvent {
  /** The event's id (events.id). */
  id: string;
  type: string;
  event: string | null;
  /** One line for the list: "Order Completed", "Viewed Pricing", "Identified", … */
  summary: string;
  /** A second, quieter line (page path, first properties, trait keys), or null. */
  detail: string | null;
  messageId: string;
  source: { id: string; name: string } | null;
  /** When it happened (the event's timestamp), ISO. */
  timestamp: string;
  receivedAt: string;
  /** The identifier the event is anchored to. */
  via: { type: string; value: string };
  /** The stored message, masked for roles without PII access. */
  json: unknown;
}

export interface TimelinePage {
  items: TimelineEvent[];
  /** Cursor of the next page, null on the last one. */
  next: string | null;
}

export interface TimelineFacets {
  types: string[];
  sources: { id: string; name: string }[];
  /** Event names (track calls), most frequent first. */
  events: string[];
}

// ─── Masking ──────────────────────────────────────────────────────────────────────────────────

const EMAIL_IN_TEXT = /[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+\.[a-z]{2,}/gi;
const CONTACT_KEY = /e-?mail|phone|mobile/i;

/** Replaces e-mail addresses inside free text (page URLs, previous ids, …). */
export function maskText(text: string, canSeePii: boolean): string {
  return canSeePii ? text : text.replace(EMAIL_IN_TEXT, (m) => maskEmail(m));
}

/**
 * A JSON value as a role may see it: text and numbers under contact-detail keys (email, phone,
 * work_email, street, zip, birthday, …) anywhere in the tree are masked (like visibleTrait), and so
 * is any e-mail address inside a string. Objects are walked, so address.city stays visible.
 */
export function maskJson(value: unknown, canSeePii: boolean, key: string | null = null, depth = 0): unknown {
  if (canSeePii) return value;
  if (depth > 40) return "•••";
  const contact = key !== null && (isPiiTrait(key) || CONTACT_KEY.test(key));
  if (contact && typeof value === "string") return maskValue(key, value);
  if (contact && typeof value === "number") return "•••";
  if (typeof value === "string") return maskText(value, false);
  // A list under a contact key (emails: [...]) is a list of contact details.
  if (Array.isArray(value)) return value.map((v) => maskJson(v, false, contact ? key : null, depth + 1));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskJson(v, false, k, depth + 1)]));
  }
  return value;
}

// ─── Filters and cursor ───────────────────────────────────────────────────────────────────────

/**
 * Filters from query parameters (`type`, `source`, `event`, each repeatable). Strict: a bad value
 * is an invalid_input error (the route answers 400); otherwise bad values are dropped.
 */
export function parseTimelineFilters(get: (name: string) => string[], options: { strict?: boolean } = {}): TimelineFilters {
  const take = (name: string, valid: (v: string) => boolean) => {
    const values = [...new Set(get(name).map((v) => v.trim()).filter(Boolean))];
    const bad = values.find((v) => !valid(v));
    if (bad !== undefined && options.strict) throw new AppError("invalid_input", `${name}: "${bad.slice(0, 50)}" is not a valid filter value.`);
    if (values.length > MAX_FILTER_VALUES && options.strict) throw new AppError("invalid_input", `${name}: at most ${MAX_FILTER_VALUES} values.`);
    return values.filter(valid).slice(0, MAX_FILTER_VALUES);
  };
  return {
    types: take("type", (v) => /^[a-z]{1,20}$/.test(v)),
    sourceIds: take("source", isUuid).map((v) => v.toLowerCase()),
    events: take("event", (v) => v.length <= MAX_FILTER_LENGTH),
  };
}

const encodeCursor = (timestamp: Date, eventId: string) => Buffer.from(JSON.stringify([timestamp.toISOString(), eventId])).toString("base64url");

function decodeCursor(cursor: string): [string, string] {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === "string" && !Number.isNaN(Date.parse(parsed[0])) && typeof parsed[1] === "string" && /^\d{1,19}$/.test(parsed[1])) {
      return [parsed[0], parsed[1]];
    }
  } catch {
    // fall through
  }
  throw new AppError("invalid_input", "cursor: not a cursor of this timeline. Start again from the first page.");
}

// ─── Queries ──────────────────────────────────────────────────────────────────────────────────

/**
 * Which identities' events make up the timeline ($1 workspace, $2 profile): a person's own; for an
 * account, its users' (and of their events, ACCOUNT_EVENTS: the group calls to this account).
 */
function identityScope(kind: "user" | "account"): string {
  return kind === "user"
    ? `i.workspace_id = $1 AND i.profile_id = $2`
    : `i.workspace_id = $1 AND i.profile_id IN (SELECT l.user_profile_id FROM profile_links l WHERE l.workspace_id = $1 AND l.account_profile_id = $2)`;
}
const ACCOUNT_EVENTS = `e.type = 'group' AND btrim(e.raw->>'groupId') IN (SELECT g.value FROM identities g WHERE g.workspace_id = $1 AND g.profile_id = $2 AND g.type = 'group_id')`;

const EVENT_OF_ANCHOR = `e.workspace_id = a.workspace_id AND e.id = a.event_id AND e.received_at = a.received_at`;

/** One event of a timeline, with the identifier it is anchored to (`via`). */
export interface TimelineRow {
  id: string;
  type: string;
  event: string | null;
  message_id: string;
  source_id: string | null;
  source_name: string | null;
  /** The event's timestamp (its anchor's). */
  timestamp: Date;
  received_at: Date;
  raw: Record<string, unknown>;
  via_type: string;
  via_value: string;
  via_first_source_id: string | null;
  via_first_seen_at: Date;
}

/** Which of a timeline's events to read, newest first: all conditions are optional. */
export interface TimelineSlice {
  types?: string[];
  sourceIds?: string[];
  /** Only events with one of these names (track calls). */
  events?: string[];
  /** No events with one of these names (events without a name stay). */
  excludeEvents?: string[];
  /** Timestamps, ISO 8601, both inclusive. */
  start?: string | null;
  end?: string | null;
  /** Where the previous page ended: [timestamp, event id]. */
  after?: [string, string] | null;
  limit: number;
}

/**
 * A page of a profile's timeline, newest first. Each identifier's events are read newest first
 * from its anchors' index (event_identities' key is identifier, timestamp, event), at most a page
 * per identifier, and only those few pages are merged: the cost is a page per identifier, not
 * the profile's whole history (a plain join and sort reads every event of a profile with
 * thousands). Filters apply inside each identifier's read, so it still stops after a page.
 */
export async function readTimelineRows(pool: pg.Pool, profile: { workspaceId: string; profileId: string; kind: "user" | "account" }, slice: TimelineSlice): Promise<TimelineRow[]> {
  const params: unknown[] = [profile.workspaceId, profile.profileId];
  const param = (v: unknown) => `$${params.push(v)}`;
  const where = profile.kind === "account" ? [ACCOUNT_EVENTS] : [];
  if (slice.types?.length) where.push(`e.type = ANY(${param(slice.types)}::text[])`);
  if (slice.sourceIds?.length) where.push(`e.source_id = ANY(${param(slice.sourceIds)}::uuid[])`);
  if (slice.events?.length) where.push(`e.event = ANY(${param(slice.events)}::text[])`);
  if (slice.excludeEvents?.length) where.push(`(e.event IS NULL OR NOT e.event = ANY(${param(slice.excludeEvents)}::text[]))`);
  if (slice.start) where.push(`a.timestamp >= ${param(slice.start)}::timestamptz`);
  if (slice.end) where.push(`a.timestamp <= ${param(slice.end)}::timestamptz`);
  if (slice.after) where.push(`(a.timestamp, a.event_id) < (${param(slice.after[0])}::timestamptz, ${param(slice.after[1])}::bigint)`);
  const limit = param(slice.limit);
  const { rows } = await pool.query<TimelineRow>(
    `SELECT x.event_id::text AS id, x.type, x.event, x.message_id, x.source_id, s.name AS source_name, x.timestamp, x.received_at, x.raw,
            i.type AS via_type, i.value AS via_value, i.first_source_id AS via_first_source_id, i.first_seen_at AS via_first_seen_at
     FROM identities i
     CROSS JOIN LATERAL (
       SELECT a.event_id, a.timestamp, e.type, e.event, e.message_id, e.source_id, e.received_at, e.raw
       FROM event_identities a JOIN events e ON ${EVENT_OF_ANCHOR}
       WHERE a.workspace_id = i.workspace_id AND a.identity_id = i.id${where.map((w) => ` AND ${w}`).join("")}
       ORDER BY a.timestamp DESC, a.event_id DESC LIMIT ${limit}) x
     LEFT JOIN sources s ON s.workspace_id = i.workspace_id AND s.id = x.source_id
     WHERE ${identityScope(profile.kind)}
     ORDER BY x.timestamp DESC, x.event_id DESC
     LIMIT ${limit}`,
    params,
  );
  return rows;
}

export async function profileTimeline(options: {
  workspaceId: string;
  profileId: string;
  kind: "user" | "account";
  canSeePii: boolean;
  filters?: TimelineFilters;
  cursor?: string | null;
  limit?: number;
  pool?: pg.Pool;
}): Promise<TimelinePage> {
  const filters = options.filters ?? NO_TIMELINE_FILTERS;
  const limit = Math.min(Math.max(Math.trunc(options.limit ?? TIMELINE_PAGE_SIZE), 1), MAX_TIMELINE_PAGE_SIZE);
  const after = options.cursor ? decodeCursor(options.cursor) : null;
  const rows = await readTimelineRows(options.pool ?? getPool(), options, { ...filters, after, limit: limit + 1 });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => toTimelineEvent(r, options.canSeePii)),
    next: rows.length > limit && last ? encodeCursor(last.timestamp, last.id) : null,
  };
}

/** The types, sources and event names present in a profile's timeline, for the filter menus. */
export async function timelineFacets(options: { workspaceId: string; profileId: string; kind: "user" | "account"; pool?: pg.Pool }): Promise<TimelineFacets> {
  // From each identifier's most recent FACET_EVENTS events (newest first from the anchors' index):
  // the menus of a profile with a huge history cost a bounded read, not the whole history.
  const { rows } = await (options.pool ?? getPool()).query<{ type: string; source_id: string | null; source_name: string | null; event: string | null; n: number }>(
    `SELECT x.type, x.source_id, s.name AS source_name, x.event, count(*)::int AS n
     FROM identities i
     CROSS JOIN LATERAL (
       SELECT e.type, e.source_id, e.event FROM event_identities a JOIN events e ON ${EVENT_OF_ANCHOR}
       WHERE a.workspace_id = i.workspace_id AND a.identity_id = i.id${options.kind === "account" ? ` AND ${ACCOUNT_EVENTS}` : ""}
       ORDER BY a.timestamp DESC, a.event_id DESC LIMIT $3) x
     LEFT JOIN sources s ON s.workspace_id = i.workspace_id AND s.id = x.source_id
     WHERE ${identityScope(options.kind)}
     GROUP BY x.type, x.source_id, s.name, x.event`,
    [options.workspaceId, options.profileId, FACET_EVENTS],
  );
  const types = new Set<string>();
  const sources = new Map<string, string>();
  const events = new Map<string, number>();
  for (const r of rows) {
    types.add(r.type);
    if (r.source_id) sources.set(r.source_id, r.source_name ?? "Deleted source");
    if (r.event) events.set(r.event, (events.get(r.event) ?? 0) + r.n);
  }
  return {
    types: [...types].sort(),
    sources: [...sources].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name)),
    events: [...events].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 200).map(([name]) => name),
  };
}

// ─── Presentation ─────────────────────────────────────────────────────────────────────────────

const asObject = (v: unknown): Record<string, unknown> => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const text = (v: unknown): string | null => (typeof v === "string" && v.trim() ? v.trim() : typeof v === "number" ? String(v) : null);
const clip = (s: string, n = 120) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function primitives(values: Record<string, unknown>, canSeePii: boolean, max = 3): string | null {
  const masked = asObject(maskJson(values, canSeePii));
  const parts = Object.entries(masked)
    .filter(([, v]) => ["string", "number", "boolean"].includes(typeof v))
    .slice(0, max)
    .map(([k, v]) => `${k}: ${clip(String(v), 40)}`);
  return parts.length ? parts.join(" · ") : null;
}

function keysOf(values: Record<string, unknown>, max = 6): string | null {
  // jsonb keeps keys in its own order (by length): sort them for a stable, readable list.
  const keys = Object.keys(values).sort();
  if (keys.length === 0) return null;
  return `${keys.slice(0, max).join(", ")}${keys.length > max ? ` +${keys.length - max}` : ""}`;
}

function describe(r: TimelineRow, canSeePii: boolean): { summary: string; detail: string | null } {
  const raw = asObject(r.raw);
  const props = asObject(raw.properties);
  const name = text(raw.name) ?? text(props.name);
  switch (r.type) {
    case "track":
      return { summary: r.event ?? "Event", detail: primitives(props, canSeePii) };
    case "page": {
      const where = text(props.path) ?? text(props.url);
      return { summary: `Viewed ${name ?? text(props.title) ?? where ?? "a page"}`, detail: where ? maskText(where, canSeePii) : null };
    }
    case "screen":
      return { summary: `Viewed screen ${name ?? ""}`.trim(), detail: primitives(props, canSeePii) };
    case "identify": {
      const traits = { ...asObject(asObject(raw.context).traits), ...asObject(raw.traits) };
      const keys = keysOf(traits);
      return { summary: "Identified", detail: keys ? `traits: ${keys}` : null };
    }
    case "group": {
      const keys = keysOf(asObject(raw.traits));
      return { summary: `Joined account ${text(raw.groupId) ?? ""}`.trim(), detail: keys ? `traits: ${keys}` : null };
    }
    case "alias":
      return { summary: `Alias ${maskText(text(raw.previousId) ?? "?", canSeePii)} → ${maskText(text(raw.userId) ?? "?", canSeePii)}`, detail: null };
    default:
      return { summary: r.event ?? r.type, detail: null };
  }
}

function toTimelineEvent(r: TimelineRow, canSeePii: boolean): TimelineEvent {
  const { summary, detail } = describe(r, canSeePii);
  return {
    id: r.id,
    type: r.type,
    event: r.event,
    summary: clip(maskText(summary, canSeePii)),
    detail: detail ? clip(detail, 160) : null,
    messageId: r.message_id,
    source: r.source_id ? { id: r.source_id, name: r.source_name ?? "Deleted source" } : null,
    timestamp: r.timestamp.toISOString(),
    receivedAt: r.received_at.toISOString(),
    via: { type: r.via_type, value: maskIdentifier(r.via_type, r.via_value, canSeePii) },
    json: maskJson(r.raw, canSeePii),
  };
}

/** An identifier value as a role may see it: e-mail and phone types, and any e-mail-like value, masked. */
export function maskIdentifier(type: string, value: string, canSeePii: boolean): string {
  return canSeePii ? value : maskText(visibleIdentifier(type, value, false), false);
}
