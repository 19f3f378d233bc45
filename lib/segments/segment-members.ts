// Who is in a segment: one page of members (search by the start of a name or email, sorted by when
// they entered, name or last seen), and all of them as CSV. A search never scans the segment: it
// collects candidates from the name and identifier prefix indexes (LIMIT-ed, like the profile
// explorer), then keeps those in the segment via the membership primary key.
import { getPool } from "@/lib/db/pool";
import { identityLastSeenSql } from "@/lib/identity/identity-last-seen";
import { csvField } from "@/lib/imports/csv-parser";
import { visibleIdentifier } from "@/lib/profiles/mask-pii";

export const MEMBER_SORTS = ["entered", "name", "last_seen"] as const;
export type MemberSort = (typeof MEMBER_SORTS)[number];
export type MemberSortDirection = "asc" | "desc";
export const MEMBERS_PAGE_SIZE = 25;
/** Counts and paging stop here ("10,000+"); the CSV export has every member. */
export const MEMBERS_TOTAL_CAP = 10_000;

export interface SegmentMember {
  id: string;
  /** display_name, else email, else user id, else "Anonymous visitor". */
  displayName: string;
  named: boolean;
  /** Masked for readers without profiles.read_pii. */
  email: string | null;
  lastSeenAt: Date;
  enteredAt: Date;
}

export interface SegmentMembersOptions {
  workspaceId: string;
  segmentId: string;
  query?: string;
  sort?: MemberSort;
  direction?: MemberSortDirection;
  /** 1-based. */
  page?: number;
  pageSize?: number;
  canSeePii?: boolean;
}

export interface SegmentMembersPage {
  rows: SegmentMember[];
  total: number;
  totalCapped: boolean;
  hasMore: boolean;
  page: number;
  pageSize: number;
  query: string;
  sort: MemberSort;
  direction: MemberSortDirection;
}

/** The members table's state from URL search params (prefixed, so it can share a page's URL). */
export function parseMemberParams(params: Record<string, string | string[] | undefined>) {
  const one = (key: string) => {
    const v = params[key];
    return (Array.isArray(v) ? v[0] : v) ?? "";
  };
  const sort = (MEMBER_SORTS as readonly string[]).includes(one("sort")) ? (one("sort") as MemberSort) : "entered";
  const direction: MemberSortDirection = one("dir") === "asc" ? "asc" : one("dir") === "desc" ? "desc" : sort === "name" ? "asc" : "desc";
  return { query: one("q").trim().slice(0, 200), sort, direction, page: Math.max(1, Math.floor(Number(one("page"))) || 1) };
}

const ORDER: Record<MemberSort, (dir: string) => string> = {
  entered: (dir) => `entered_at ${dir}, id ${dir}`,
  // Unnamed profiles (no display name) come after the named ones either way.
  name: (dir) => `search_name ${dir} NULLS LAST, id ${dir}`,
  last_seen: (dir) => `last_seen_at ${dir}, id ${dir}`,
};

const likePrefix = (s: string) => `${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

interface RawMember {
  id: string;
  display_name: string | null;
  last_seen_at: Date;
  entered_at: Date;
  email: string | null;
  user_id: string | null;
}

// Per page row: its most recently seen email and user id. Expects a CTE `page` with the columns above.
const DETAILS = `
  SELECT r.id, r.display_name, r.last_seen_at, r.entered_at, r.search_name, ids.email, ids.user_id
  FROM page r
  LEFT JOIN LATERAL (
    SELECT (array_agg(i.value ORDER BY i.seen DESC, i.id DESC) FILTER (WHERE i.type = 'email'))[1] AS email,
           (array_agg(i.value ORDER BY i.seen DESC, i.id DESC) FILTER (WHERE i.type = 'user_id'))[1] AS user_id
    FROM (SELECT i.id, i.type, i.value, ${identityLastSeenSql("i")} AS seen
          FROM identities i WHERE i.workspace_id = $1 AND i.profile_id = r.id::uuid AND i.type IN ('email', 'user_id')) i) ids ON true`;

function toMember(r: RawMember, canSeePii: boolean): SegmentMember {
  const email = r.email === null ? null : visibleIdentifier("email", r.email, canSeePii);
  const name = r.display_name?.trim() || null;
  return { id: r.id, displayName: name ?? email ?? r.user_id ?? "Anonymous visitor", named: name !== null, email, lastSeenAt: r.last_seen_at, enteredAt: r.entered_at };
}

export async function listSegmentMembers(options: SegmentMembersOptions): Promise<SegmentMembersPage> {
  const pool = getPool();
  const sort: MemberSort = options.sort && ORDER[options.sort] ? options.sort : "entered";
  const direction: MemberSortDirection = options.direction === "asc" ? "asc" : options.direction === "desc" ? "desc" : sort === "name" ? "asc" : "desc";
  const pageSize = Math.min(100, Math.max(1, Math.floor(options.pageSize ?? MEMBERS_PAGE_SIZE)));
  const page = Math.min(Math.ceil(MEMBERS_TOTAL_CAP / pageSize), Math.max(1, Math.floor(options.page ?? 1)));
  const query = (options.query ?? "").trim().slice(0, 200);
  const canSeePii = options.canSeePii ?? false;
  const order = ORDER[sort](direction === "asc" ? "ASC" : "DESC");
  const args: unknown[] = [options.workspaceId, options.segmentId, pageSize, (page - 1) * pageSize, MEMBERS_TOTAL_CAP + 1];

  let candidates = "";
  if (query !== "") {
    const lower = query.toLowerCase();
    const arg = (v: unknown) => `$${args.push(v)}`;
    const name = arg(likePrefix(lower));
    // Readers who see contact details masked find people by their whole email only, so addresses
    // cannot be discovered one letter at a time.
    const email = canSeePii ? `value LIKE ${arg(likePrefix(lower))}` : `value = ${arg(lower)}`;
    candidates = `raw AS MATERIALIZED (
        (SELECT id FROM profiles WHERE workspace_id = $1 AND search_name LIKE ${name} LIMIT $5)
        UNION ALL (SELECT id FROM profiles WHERE workspace_id = $1 AND search_name_last_first LIKE ${name} LIMIT $5)
        UNION ALL (SELECT profile_id FROM identities WHERE workspace_id = $1 AND ${email} AND type = 'email' LIMIT $5)),
      `;
  }
  const source = query
    ? `(SELECT DISTINCT id FROM raw) c JOIN segment_memberships m ON m.workspace_id = $1 AND m.segment_id = $2 AND m.profile_id = c.id`
    : `segment_memberships m`;
  const { rows } = await pool.query<RawMember & { total: number }>(
    `WITH ${candidates}matched AS (
       SELECT m.profile_id AS id, m.entered_at, p.display_name, p.search_name, p.last_seen_at
       FROM ${source}
       JOIN profiles p ON p.workspace_id = m.workspace_id AND p.id = m.profile_id
       WHERE m.workspace_id = $1 AND m.segment_id = $2 AND p.merged_into_id IS NULL),
     page AS (SELECT * FROM matched ORDER BY ${order} LIMIT $3 OFFSET $4),
     counted AS (SELECT count(*)::int AS total FROM (SELECT 1 FROM ${query ? "matched" : "segment_memberships WHERE workspace_id = $1 AND segment_id = $2"} LIMIT $5) x),
     details AS (${DETAILS})
     SELECT c.total, d.* FROM counted c LEFT JOIN details d ON true ORDER BY ${order.replace(/(\w+) (ASC|DESC)/g, "d.$1 $2")}`,
    args,
  );
  const total = rows[0]?.total ?? 0;
  const available = Math.min(total, MEMBERS_TOTAL_CAP);
  return {
    rows: rows.filter((r) => r.id !== null).map((r) => toMember(r, canSeePii)),
    total: available,
    totalCapped: total > MEMBERS_TOTAL_CAP,
    hasMore: page * pageSize < available,
    page,
    pageSize,
    query,
    sort,
    direction,
  };
}

/** Spreadsheets run cells starting with = + - @ as formulas: such values get a leading '. */
const spreadsheetSafe = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

/**
 * Every member as CSV text in pieces (a header line, then one piece per page), read in keyset pages
 * along the membership primary key, so a million members never sit in memory at once.
 */
export async function* segmentMembersCsv(options: { workspaceId: string; segmentId: string; canSeePii?: boolean; pageSize?: number }): AsyncGenerator<string> {
  const pool = getPool();
  const canSeePii = options.canSeePii ?? false;
  yield "profile_id,name,email,entered_at\r\n";
  let after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    // The keyset follows the memberships (not the joined rows), so skipped rows never end the export early.
    const { rows } = await pool.query<RawMember & { last: string }>(
      `WITH ms AS MATERIALIZED (
         SELECT profile_id, entered_at FROM segment_memberships
         WHERE workspace_id = $1 AND segment_id = $2 AND profile_id > $3 ORDER BY profile_id LIMIT $4),
       page AS (
         SELECT m.profile_id AS id, m.entered_at, p.display_name, p.search_name, p.last_seen_at
         FROM ms m JOIN profiles p ON p.workspace_id = $1 AND p.id = m.profile_id WHERE p.merged_into_id IS NULL),
       details AS (${DETAILS})
       SELECT (SELECT profile_id::text FROM ms ORDER BY profile_id DESC LIMIT 1) AS last, d.* FROM (SELECT 1) one LEFT JOIN details d ON true ORDER BY d.id`,
      [options.workspaceId, options.segmentId, after, Math.min(10_000, Math.max(1, options.pageSize ?? 2000))],
    );
    const last = rows[0]?.last;
    if (!last) return;
    const piece = rows
      .filter((r) => r.id !== null)
      .map((r) => {
        const email = r.email === null ? "" : visibleIdentifier("email", r.email, canSeePii);
        return `${r.id},${csvField(spreadsheetSafe(r.display_name?.trim() ?? ""))},${csvField(spreadsheetSafe(email))},${r.entered_at.toISOString()}\r\n`;
      })
      .join("");
    if (piece) yield piece;
    after = last;
  }
}
