// The profile explorer's query: live (not merged-away) profiles of one kind, either all of them in
// the chosen order or those an identifier value or name starts with. A search never scans the
// profiles table: it collects candidates from the two prefix indexes (identities.value and
// profiles.search_name, each LIMIT-ed), then loads, filters and orders only those.
import { AsYouType, type CountryCode } from "libphonenumber-js";
import { getPool } from "@/lib/db/pool";
import { getIdentitySettings } from "@/lib/identity/get-identity-settings";
import { identityLastSeenSql } from "@/lib/identity/identity-last-seen";
import { ACCOUNT_IDENTIFIER_TYPE } from "@/lib/identity/identity-settings";
import { normalizeIdentifier } from "@/lib/identity/normalize-identifier";
import { PII_TYPES, visibleIdentifier } from "@/lib/profiles/mask-pii";

export const PROFILE_KINDS = ["user", "account"] as const;
export type ProfileKind = (typeof PROFILE_KINDS)[number];
export const PROFILE_SORTS = ["last_seen", "first_seen", "events"] as const;
export type ProfileSort = (typeof PROFILE_SORTS)[number];
export type SortDirection = "asc" | "desc";

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;
/** Counts stop here ("10,000+"), and so does paging: beyond it, a search narrows faster than Next. */
export const TOTAL_CAP = 10_000;
export const MAX_QUERY_LENGTH = 200;
/** Fewest digits a partial phone number needs before it is also tried as one (else "42" would find +142…). */
const MIN_PARTIAL_PHONE_DIGITS = 5;

export interface SearchProfilesOptions {
  workspaceId: string;
  query?: string;
  kind?: ProfileKind;
  sort?: ProfileSort;
  direction?: SortDirection;
  /** 1-based. */
  page?: number;
  pageSize?: number;
  /**
   * Whether the reader may see contact details (profiles.read_pii). Without it emails and phone
   * numbers come back masked, and they match a search only when the query is the whole value, so
   * contact details cannot be discovered one prefix at a time.
   */
  canSeePii?: boolean;
}

export interface ProfileRow {
  id: string;
  /** display_name, else the best identifier (email, user id, phone; group id for accounts), else a placeholder. */
  displayName: string;
  /** Whether displayName is the profile's name (rather than an identifier or the placeholder). */
  named: boolean;
  email: string | null;
  phone: string | null;
  /** user_id for people, group_id for accounts. */
  externalId: string | null;
  firstSeenAt: Date;
  lastSeenAt: Date;
  eventCount: number;
  sourceCount: number;
  sourceNames: string[];
  identifierCount: number;
}

export interface ProfileSearchResult {
  rows: ProfileRow[];
  /** Matching profiles, at most TOTAL_CAP. */
  total: number;
  /** True when there are (or may be) more than `total`: show "10,000+". */
  totalCapped: boolean;
  /** Whether a next page exists (within TOTAL_CAP). */
  hasMore: boolean;
  page: number;
  pageSize: number;
  query: string;
  kind: ProfileKind;
  sort: ProfileSort;
  direction: SortDirection;
}

const SORT_COLUMNS: Record<ProfileSort, string> = { last_seen: "last_seen_at", first_seen: "first_seen_at", events: "event_count" };

export const DEFAULT_SORT: ProfileSort = "last_seen";
export const DEFAULT_DIRECTION: SortDirection = "desc";

/** The explorer's state from URL search params, with anything unknown replaced by the default. */
export function parseProfileSearchParams(params: Record<string, string | string[] | undefined>) {
  const one = (key: string) => {
    const v = params[key];
    return (Array.isArray(v) ? v[0] : v) ?? "";
  };
  const kind: ProfileKind = one("kind") === "account" ? "account" : "user";
  const sort = (PROFILE_SORTS as readonly string[]).includes(one("sort")) ? (one("sort") as ProfileSort) : DEFAULT_SORT;
  const direction: SortDirection = one("dir") === "asc" ? "asc" : one("dir") === "desc" ? "desc" : DEFAULT_DIRECTION;
  const page = Math.max(1, Math.floor(Number(one("page"))) || 1);
  const query = one("q").trim().slice(0, MAX_QUERY_LENGTH);
  return { query, kind, sort, direction, page };
}

const clampInt = (v: number | undefined, min: number, max: number, fallback: number) =>
  Number.isFinite(v) ? Math.min(max, Math.max(min, Math.floor(v!))) : fallback;

/** Escapes LIKE's wildcards so a query is matched literally (backslash is LIKE's default escape). */
const likePrefix = (s: string) => `${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const PHONE_LIKE = /^\+?[\d\s().\-/]+$/;

export async function searchProfiles(options: SearchProfilesOptions): Promise<ProfileSearchResult> {
  const pool = getPool();
  const ws = options.workspaceId;
  const kind: ProfileKind = options.kind === "account" ? "account" : "user";
  const sort: ProfileSort = options.sort && SORT_COLUMNS[options.sort] ? options.sort : DEFAULT_SORT;
  const direction: SortDirection = options.direction === "asc" ? "asc" : "desc";
  const pageSize = clampInt(options.pageSize, 1, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE);
  const maxPage = Math.ceil(TOTAL_CAP / pageSize);
  const page = clampInt(options.page, 1, maxPage, 1);
  const query = (options.query ?? "").trim().slice(0, MAX_QUERY_LENGTH);
  const canSeePii = options.canSeePii ?? false;

  const col = SORT_COLUMNS[sort];
  const dir = direction === "asc" ? "ASC" : "DESC";
  const order = (alias: string) => `${alias}.${col} ${dir}, ${alias}.id ${dir}`;
  const offset = (page - 1) * pageSize;

  let total: number;
  let truncated = false;
  let rows: RawRow[];

  if (query === "") {
    // Last seen and event count are indexed on profile_activity (one row per live profile), first
    // seen on profiles; the narrow activity table also serves the capped count.
    const ids =
      sort === "first_seen"
        ? `SELECT p.id FROM profiles p WHERE p.workspace_id = $1 AND p.kind = $2::"ProfileKind" AND p.merged_into_id IS NULL ORDER BY ${order("p")} LIMIT $3 OFFSET $4`
        : `SELECT a.profile_id AS id FROM profile_activity a WHERE a.workspace_id = $1 AND a.kind = $2::"ProfileKind"
           ORDER BY a.${col} ${dir}, a.profile_id ${dir} LIMIT $3 OFFSET $4`;
    const [list, count] = await Promise.all([
      pool.query<RawRow>(
        `WITH page AS (
           SELECT p.id, p.display_name, p.first_seen_at, p.last_seen_at, p.event_count, p.source_ids
           FROM (${ids}) o JOIN profiles p ON p.workspace_id = $1 AND p.id = o.id)
         ${DETAILS} ORDER BY ${order("r")}`,
        [ws, kind, pageSize, offset],
      ),
      pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM (SELECT 1 FROM profile_activity WHERE workspace_id = $1 AND kind = $2::"ProfileKind" LIMIT $3) x`,
        [ws, kind, TOTAL_CAP + 1],
      ),
    ]);
    rows = list.rows;
    total = count.rows[0].n;
  } else {
    const lookups = await candidateLookups(ws, query, canSeePii);
    const args: unknown[] = [ws, kind, pageSize, offset, TOTAL_CAP + 1];
    const arg = (v: unknown) => `$${args.push(v)}`;
    const parts = lookups.map((l, i) => {
      if (l.on === "name") {
        // The start of the name, or of the surname (search_name_last_first: "smith ann").
        const like = arg(likePrefix(l.value));
        return `(SELECT ${i} AS src, id FROM profiles WHERE workspace_id = $1 AND search_name LIKE ${like} LIMIT $5)
                UNION ALL (SELECT ${1000 + i} AS src, id FROM profiles WHERE workspace_id = $1 AND search_name_last_first LIKE ${like} LIMIT $5)`;
      }
      if (l.on === "exact") return `(SELECT ${i} AS src, profile_id AS id FROM identities WHERE workspace_id = $1 AND type = ${arg(l.type)} AND value = ${arg(l.value)})`;
      const hide = l.skipTypes.length > 0 ? ` AND type <> ALL(${arg(l.skipTypes)}::text[])` : "";
      return `(SELECT ${i} AS src, profile_id AS id FROM identities WHERE workspace_id = $1 AND value LIKE ${arg(likePrefix(l.value))}${hide} LIMIT $5)`;
    });
    const { rows: found } = await pool.query<RawRow & { total: number; truncated: boolean }>(
      `WITH raw AS MATERIALIZED (${parts.join(" UNION ALL ")}),
       matched AS MATERIALIZED (
         SELECT p.id, p.display_name, p.first_seen_at, p.last_seen_at, p.event_count, p.source_ids
         FROM (SELECT DISTINCT id FROM raw) c JOIN profiles p ON p.workspace_id = $1 AND p.id = c.id
         WHERE p.kind = $2::"ProfileKind" AND p.merged_into_id IS NULL),
       page AS (SELECT * FROM matched p ORDER BY ${order("p")} LIMIT $3 OFFSET $4),
       details AS (${DETAILS})
       SELECT t.total, t.truncated, r.* FROM
         (SELECT (SELECT count(*)::int FROM matched) AS total,
                 coalesce((SELECT bool_or(n >= $5) FROM (SELECT count(*) AS n FROM raw GROUP BY src) s), false) AS truncated) t
       LEFT JOIN details r ON true
       ORDER BY ${order("r")}`,
      args,
    );
    total = found[0]?.total ?? 0;
    truncated = found[0]?.truncated ?? false;
    rows = found.filter((r) => r.id !== null);
  }

  const available = Math.min(total, TOTAL_CAP);
  return {
    rows: rows.map((r) => toRow(r, kind, canSeePii)),
    total: available,
    totalCapped: total > TOTAL_CAP || truncated,
    hasMore: page * pageSize < available,
    page,
    pageSize,
    query,
    kind,
    sort,
    direction,
  };
}

interface RawRow {
  id: string;
  display_name: string | null;
  first_seen_at: Date;
  last_seen_at: Date;
  event_count: number;
  source_count: number;
  source_names: string[];
  email: string | null;
  phone: string | null;
  user_id: string | null;
  group_id: string | null;
  identifier_count: number;
}

// Per page row (at most MAX_PAGE_SIZE): its most recently seen email, phone, user id and group id,
// how many identifiers it has, and the names of its sources. Expects a CTE `page`.
const DETAILS = `
  SELECT r.id, r.display_name, r.first_seen_at, r.last_seen_at, r.event_count,
         coalesce(cardinality(r.source_ids), 0) AS source_count,
         ARRAY(SELECT s.name FROM sources s WHERE s.workspace_id = $1 AND s.id = ANY(r.source_ids) ORDER BY s.name) AS source_names,
         ids.email, ids.phone, ids.user_id, ids.group_id, coalesce(ids.n, 0) AS identifier_count
  FROM page r
  LEFT JOIN LATERAL (
    SELECT (array_agg(i.value ORDER BY i.seen DESC, i.id DESC) FILTER (WHERE i.type = 'email'))[1] AS email,
           (array_agg(i.value ORDER BY i.seen DESC, i.id DESC) FILTER (WHERE i.type = 'phone'))[1] AS phone,
           (array_agg(i.value ORDER BY i.seen DESC, i.id DESC) FILTER (WHERE i.type = 'user_id'))[1] AS user_id,
           (array_agg(i.value ORDER BY i.seen DESC, i.id DESC) FILTER (WHERE i.type = '${ACCOUNT_IDENTIFIER_TYPE}'))[1] AS group_id,
           count(*)::int AS n
    FROM (SELECT i.id, i.type, i.value, CASE WHEN i.type IN ('email', 'phone', 'user_id', '${ACCOUNT_IDENTIFIER_TYPE}') THEN ${identityLastSeenSql("i")} END AS seen
          FROM identities i WHERE i.workspace_id = $1 AND i.profile_id = r.id) i) ids ON true`;

function toRow(r: RawRow, kind: ProfileKind, canSeePii: boolean): ProfileRow {
  const email = r.email === null ? null : visibleIdentifier("email", r.email, canSeePii);
  const phone = r.phone === null ? null : visibleIdentifier("phone", r.phone, canSeePii);
  const externalId = kind === "account" ? r.group_id : r.user_id;
  const name = r.display_name?.trim() || null;
  const fallback = kind === "account" ? (r.group_id ?? "Unnamed account") : (email ?? r.user_id ?? phone ?? "Anonymous visitor");
  return {
    id: r.id,
    displayName: name ?? fallback,
    named: name !== null,
    email,
    phone,
    externalId,
    firstSeenAt: r.first_seen_at,
    lastSeenAt: r.last_seen_at,
    eventCount: r.event_count,
    sourceCount: r.source_count,
    sourceNames: r.source_names,
    identifierCount: r.identifier_count,
  };
}

type Lookup =
  | { on: "name"; value: string }
  | { on: "prefix"; value: string; skipTypes: string[] }
  | { on: "exact"; type: string; value: string };

/**
 * The index lookups a query becomes: prefix of any identifier value as typed and lower-cased
 * (emails are stored lower-case, user ids as sent), prefix of the lower-case name, and the query
 * as a phone number in the workspace's region — complete (E.164, like ingestion stores it) or,
 * for readers who may see contact details, partial ("079 123" → "+4179123…").
 */
async function candidateLookups(ws: string, query: string, canSeePii: boolean): Promise<Lookup[]> {
  const lower = query.toLowerCase();
  const skipTypes = canSeePii ? [] : [...PII_TYPES];
  const lookups: Lookup[] = [{ on: "name", value: lower }];
  const prefixes = new Set([query, lower]);

  if (!canSeePii) {
    const email = normalizeIdentifier("email", query, { phoneRegion: "US", blockedValues: [], blockedPatterns: [] });
    if (email.ok) lookups.push({ on: "exact", type: "email", value: email.value });
  }
  if (PHONE_LIKE.test(query) && /\d/.test(query)) {
    const settings = await getIdentitySettings(getPool(), ws);
    const phone = normalizeIdentifier("phone", query, settings);
    if (phone.ok) {
      if (canSeePii) prefixes.add(phone.value);
      else lookups.push({ on: "exact", type: "phone", value: phone.value });
    }
    if (canSeePii && query.replace(/\D/g, "").length >= MIN_PARTIAL_PHONE_DIGITS) {
      const partial = partialPhone(query, settings.phoneRegion);
      if (partial) prefixes.add(partial);
    }
  }
  for (const value of prefixes) lookups.push({ on: "prefix", value, skipTypes });
  return lookups;
}

/** An incomplete phone number as the start of its E.164 form, or null. */
function partialPhone(text: string, region: string): string | null {
  try {
    const typing = new AsYouType(region as CountryCode);
    typing.input(text);
    const value = typing.getNumberValue();
    return value && value.length > 2 ? value : null;
  } catch {
    return null;
  }
}
