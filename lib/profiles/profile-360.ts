// The customer-360 view of one profile: who it is (name, key traits, first/last seen, sources),
// its identifiers by type with lineage, every trait's surviving value with lineage and the other
// candidate values, computed trait values and segment memberships, linked accounts (or an
// account's users), and the merge ledger. Every query is scoped to the workspace. Contact details
// are masked for roles without profiles.read_pii.
import type pg from "pg";
import { readComputedTraits } from "@/lib/computed-traits/read-computed-traits";
import { getPool } from "@/lib/db/pool";
import { isUuid } from "@/lib/db/uuid";
import { identityLastSeenJoin, identityLastSeenSql } from "@/lib/identity/identity-last-seen";
import { ACCOUNT_IDENTIFIER_TYPE, IDENTIFIER_LABELS } from "@/lib/identity/identity-settings";
import { maskIdentifier, maskJson, maskText } from "@/lib/profiles/profile-timeline";
import { candidateOf, countOf, firstAt, firstSource, type TraitCandidate, type TraitCandidates } from "@/lib/profiles/trait-candidates";

export type ProfileKind = "user" | "account";

export type ProfileLookup =
  | { status: "found"; id: string; kind: ProfileKind }
  /** The id was merged away; `survivorId` is where its chain of merges ends. */
  | { status: "merged"; survivorId: string; kind: ProfileKind }
  | { status: "not_found" };

export interface SourceRef {
  id: string;
  name: string;
}

export interface IdentifierView {
  id: string;
  type: string;
  /** As the role may see it. */
  value: string;
  firstSeenAt: string;
  lastSeenAt: string;
  firstSource: SourceRef | null;
  lastSource: SourceRef | null;
}

export interface IdentifierGroup {
  type: string;
  label: string;
  items: IdentifierView[];
}

export interface TraitCandidateView {
  /** Display text (JSON for non-strings), as the role may see it. */
  value: string;
  count: number;
  firstAt: string;
  lastAt: string;
  source: SourceRef | null;
  messageId: string | null;
}

export interface TraitView {
  key: string;
  value: string;
  /** Whether the value was masked for this role. */
  masked: boolean;
  /** Lineage of the surviving value (null when no candidate matches, e.g. mid-rebuild). */
  lineage: TraitCandidateView | null;
  firstSource: SourceRef | null;
  /** The other values seen for this trait, most recent first (at most MAX_CANDIDATES). */
  others: TraitCandidateView[];
  otherCount: number;
}

export interface LinkedProfileView {
  id: string;
  title: string;
  subtitle: string | null;
  firstAt: string;
  lastAt: string;
}

export interface MergeView {
  id: string;
  survivor: { id: string; title: string; self: boolean };
  merged: { id: string; title: string; self: boolean };
  /** How this profile took part: it absorbed the other (directly or through a profile it absorbed), or was itself merged. */
  role: "survivor" | "merged";
  linkedBy: { type: string; value: string }[];
  identifierCount: number;
  messageId: string | null;
  source: SourceRef | null;
  at: string;
  undoneAt: string | null;
}

export interface ConflictView {
  id: string;
  type: string;
  value: string;
  reason: string;
  detail: string;
  messageId: string | null;
  at: string;
}

export interface ComputedTraitView {
  key: string;
  name: string;
  /** The definition in words ("Count of Order Completed in the last 30 days"). */
  description: string;
  /** Display text, as the role may see it. */
  value: string;
  updatedAt: string;
}

export interface SegmentMembershipView {
  id: string;
  name: string;
  key: string;
  enteredAt: string;
}

export interface Profile360 {
  id: string;
  kind: ProfileKind;
  /** Display name, else the best identifier, else "Anonymous visitor". */
  title: string;
  displayName: string | null;
  /** No user id, e-mail, phone or other strong identifier: only anonymous or device ids. */
  anonymous: boolean;
  firstSeenAt: string;
  lastSeenAt: string;
  eventCount: number;
  mergeCount: number;
  lastSource: SourceRef | null;
  sources: SourceRef[];
  keyTraits: { key: string; value: string }[];
  identifierCount: number;
  identifiers: IdentifierGroup[];
  traits: TraitView[];
  computedTraits: ComputedTraitView[];
  /** The segments the profile is in now (at most MAX_SEGMENTS), by name. */
  segments: { items: SegmentMembershipView[]; total: number };
  /** A person's accounts, or an account's users. */
  links: { items: LinkedProfileView[]; total: number };
  merges: MergeView[];
  conflicts: ConflictView[];
  piiMasked: boolean;
}

const MAX_CANDIDATES = 20;
const MAX_LINKS = 50;
const MAX_MERGES = 50;
const MAX_CONFLICTS = 20;
const MAX_CHAIN = 50;
const MAX_SEGMENTS = 100;

/** Order of identifier groups on the page: the ones people recognise first. */
const IDENTIFIER_ORDER = ["email", "phone", "user_id", "group_id"];
const WEAK_TYPES = new Set(["anonymous_id", "device_id", "advertising_id"]);
const KEY_TRAITS = ["email", "phone", "plan", "company", "title", "city", "country", "industry", "employees", "website", "lifetime_value", "status"];
const NAME_TRAITS = new Set(["name", "first_name", "last_name", "firstName", "lastName"]);

export const identifierLabel = (type: string) => IDENTIFIER_LABELS[type] ?? type.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());

const typeRank = (type: string) => {
  const i = IDENTIFIER_ORDER.indexOf(type);
  if (i >= 0) return i;
  return WEAK_TYPES.has(type) ? 100 + [...WEAK_TYPES].indexOf(type) : 50;
};

const shortId = (id: string) => `Profile ${id.slice(0, 8)}`;
const iso = (d: Date) => d.toISOString();

/** A JSON value as one line of text. */
export function displayValue(value: unknown): string {
  if (typeof value === "string") return value;
  return JSON.stringify(value) ?? "null";
}

/**
 * Where a profile id leads: the profile itself, its survivor when it was merged away (following
 * the chain of merges), or nowhere (unknown id, another workspace's id, or not a uuid).
 */
export async function resolveProfile(options: { workspaceId: string; profileId: string; pool?: pg.Pool }): Promise<ProfileLookup> {
  if (!isUuid(options.profileId)) return { status: "not_found" };
  const { rows } = await (options.pool ?? getPool()).query<{ id: string; merged_into_id: string | null; kind: ProfileKind; depth: number }>(
    `WITH RECURSIVE chain AS (
       SELECT id, merged_into_id, kind, 0 AS depth FROM profiles WHERE workspace_id = $1 AND id = $2
       UNION ALL
       SELECT p.id, p.merged_into_id, p.kind, c.depth + 1 FROM profiles p JOIN chain c ON p.workspace_id = $1 AND p.id = c.merged_into_id WHERE c.depth < $3)
     SELECT id, merged_into_id, kind::text AS kind, depth FROM chain ORDER BY depth`,
    [options.workspaceId, options.profileId.toLowerCase(), MAX_CHAIN],
  );
  const end = rows.at(-1);
  if (!end || end.merged_into_id !== null) return { status: "not_found" };
  return end.depth === 0 ? { status: "found", id: end.id, kind: end.kind } : { status: "merged", survivorId: end.id, kind: end.kind };
}

interface ProfileRow {
  id: string;
  kind: ProfileKind;
  traits: Record<string, unknown>;
  display_name: string | null;
  first_seen_at: Date;
  last_seen_at: Date;
  last_source_id: string | null;
  event_count: number;
  merge_count: number;
  source_ids: string[] | null;
}

/** The 360 of a live profile (null when it does not exist here or was merged away: resolve first). */
export async function getProfile360(options: { workspaceId: string; profileId: string; canSeePii: boolean; pool?: pg.Pool }): Promise<Profile360 | null> {
  const pool = options.pool ?? getPool();
  const { workspaceId: ws, profileId: id, canSeePii } = options;
  if (!isUuid(id)) return null;
  const { rows: [p] } = await pool.query<ProfileRow>(
    `SELECT id, kind::text AS kind, traits, display_name, first_seen_at, last_seen_at, last_source_id, event_count, merge_count, source_ids::text[] AS source_ids
     FROM profiles WHERE workspace_id = $1 AND id = $2 AND merged_into_id IS NULL`,
    [ws, id],
  );
  if (!p) return null;

  const [sources, identities, candidates, links, merges, conflicts, computed, memberships] = await Promise.all([
    pool.query<{ id: string; name: string }>(`SELECT id, name FROM sources WHERE workspace_id = $1`, [ws]),
    pool.query<{ id: string; type: string; value: string; first_seen_at: Date; last_seen_at: Date; first_source_id: string | null; last_source_id: string | null }>(
      `SELECT i.id::text, i.type, i.value, i.first_seen_at, seen.last_seen_at, i.first_source_id, seen.last_source_id
       FROM identities i ${identityLastSeenJoin("i", "seen")}
       WHERE i.workspace_id = $1 AND i.profile_id = $2 ORDER BY i.type, seen.last_seen_at DESC, i.id`,
      [ws, id],
    ),
    pool.query<{ candidates: TraitCandidates }>(`SELECT candidates FROM profile_trait_candidates WHERE workspace_id = $1 AND profile_id = $2`, [ws, id]),
    loadLinks(pool, ws, id, p.kind),
    pool.query<{ id: string; survivor_id: string; merged_id: string; survivor_title: string | null; merged_title: string | null; linked_by: unknown; n: number; message_id: string | null; source_id: string | null; created_at: Date; undone_at: Date | null }>(
      // This profile's merges, and those of the profiles it absorbed (A into B, then B into this one).
      // Followed through the ledger (indexed by survivor), not profiles.merged_into_id (not indexed).
      `WITH RECURSIVE absorbed AS (
         SELECT $2::uuid AS id, 0 AS depth
         UNION
         SELECT x.merged_id, a.depth + 1 FROM profile_merges x JOIN absorbed a ON x.workspace_id = $1 AND x.survivor_id = a.id
         WHERE x.undone_at IS NULL AND a.depth < $3)
       SELECT m.id::text, m.survivor_id, m.merged_id, ps.display_name AS survivor_title, pm.display_name AS merged_title, m.linked_by,
              coalesce(cardinality(m.identity_ids), 0)::int AS n, m.message_id, m.source_id, m.created_at, m.undone_at
       FROM profile_merges m
       LEFT JOIN profiles ps ON ps.workspace_id = m.workspace_id AND ps.id = m.survivor_id
       LEFT JOIN profiles pm ON pm.workspace_id = m.workspace_id AND pm.id = m.merged_id
       WHERE m.workspace_id = $1 AND (m.survivor_id IN (SELECT id FROM absorbed) OR m.merged_id = $2)
       ORDER BY m.created_at DESC, m.id DESC LIMIT $4`,
      [ws, id, MAX_CHAIN, MAX_MERGES],
    ),
    pool.query<{ id: string; identifier_type: string; identifier_value: string; reason: string; detail: string; message_id: string | null; created_at: Date }>(
      `SELECT id::text, identifier_type, identifier_value, reason, detail, message_id, created_at
       FROM identity_conflicts WHERE workspace_id = $1 AND profile_id = $2 ORDER BY created_at DESC, id DESC LIMIT $3`,
      [ws, id, MAX_CONFLICTS],
    ),
    readComputedTraits({ workspaceId: ws, profileId: id, pool }),
    pool.query<{ id: string; name: string; key: string; entered_at: Date; total: number }>(
      `SELECT s.id, s.name, s.key, m.entered_at, count(*) OVER ()::int AS total
       FROM segment_memberships m JOIN segments s ON s.workspace_id = m.workspace_id AND s.id = m.segment_id
       WHERE m.workspace_id = $1 AND m.profile_id = $2 ORDER BY lower(s.name), s.id LIMIT $3`,
      [ws, id, MAX_SEGMENTS],
    ),
  ]);

  const sourceNames = new Map(sources.rows.map((s) => [s.id, s.name]));
  const src = (sourceId: string | null): SourceRef | null => (sourceId ? { id: sourceId, name: sourceNames.get(sourceId) ?? "Deleted source" } : null);
  const showId = (type: string, value: string) => maskIdentifier(type, value, canSeePii);
  // Names come from traits; one that is really an e-mail address is masked like one.
  const showName = (name: string | null | undefined) => (name?.trim() ? maskText(name.trim(), canSeePii) : null);

  // Identifiers, grouped by type.
  const groups = new Map<string, IdentifierView[]>();
  for (const r of identities.rows) {
    const list = groups.get(r.type) ?? [];
    list.push({ id: r.id, type: r.type, value: showId(r.type, r.value), firstSeenAt: iso(r.first_seen_at), lastSeenAt: iso(r.last_seen_at), firstSource: src(r.first_source_id), lastSource: src(r.last_source_id) });
    groups.set(r.type, list);
  }
  const identifiers = [...groups]
    .sort(([a], [b]) => typeRank(a) - typeRank(b) || a.localeCompare(b))
    .map(([type, items]) => ({ type, label: identifierLabel(type), items }));

  // Traits: the surviving value with its lineage, then the other candidates.
  const shown = (key: string, value: unknown) => {
    const masked = maskJson(value, canSeePii, key);
    return { text: displayValue(masked), masked: displayValue(masked) !== displayValue(value) };
  };
  const doc = candidates.rows[0]?.candidates ?? {};
  const candidateView = (key: string, c: TraitCandidate): TraitCandidateView => ({
    value: shown(key, c.v).text,
    count: countOf(c),
    firstAt: firstAt(c),
    lastAt: c.l,
    source: src(c.s),
    messageId: c.m,
  });
  const traitKeys = Object.keys(p.traits ?? {}).sort((a, b) => traitRank(a) - traitRank(b) || a.localeCompare(b));
  const traits: TraitView[] = traitKeys.map((key) => {
    const list = doc[key] ?? [];
    const survivor = candidateOf(list, p.traits[key]);
    const others = list.filter((c) => c !== survivor).sort((a, b) => (a.l > b.l ? -1 : a.l < b.l ? 1 : 0));
    const v = shown(key, p.traits[key]);
    return {
      key,
      value: v.text,
      masked: v.masked,
      lineage: survivor ? candidateView(key, survivor) : null,
      firstSource: survivor ? src(firstSource(survivor)) : null,
      others: others.slice(0, MAX_CANDIDATES).map((c) => candidateView(key, c)),
      otherCount: others.length,
    };
  });

  const keyTraits = pickKeyTraits(p.traits ?? {}, canSeePii);
  const strong = identities.rows.filter((r) => !WEAK_TYPES.has(r.type));
  const best = [...strong].sort((a, b) => typeRank(a.type) - typeRank(b.type) || b.last_seen_at.getTime() - a.last_seen_at.getTime())[0];
  const displayName = showName(p.display_name);

  return {
    id: p.id,
    kind: p.kind,
    title: displayName ?? (best ? showId(best.type, best.value) : p.kind === "account" ? "Unnamed account" : "Anonymous visitor"),
    displayName,
    anonymous: p.kind === "user" && strong.length === 0,
    firstSeenAt: iso(p.first_seen_at),
    lastSeenAt: iso(p.last_seen_at),
    eventCount: p.event_count,
    mergeCount: p.merge_count,
    lastSource: src(p.last_source_id),
    sources: (p.source_ids ?? []).map((s) => src(s)!).sort((a, b) => a.name.localeCompare(b.name)),
    keyTraits,
    identifierCount: identities.rows.length,
    identifiers,
    traits,
    // A first/last/most frequent value of a contact property (e-mail, phone) is masked like the trait.
    computedTraits: computed
      .map((c) => {
        const shownValue = maskJson(c.value, canSeePii, c.property);
        // Numbers grouped, at most two decimals: an average's long tail is noise on this page.
        const value = typeof shownValue === "number" ? shownValue.toLocaleString("en", { maximumFractionDigits: 2 }) : displayValue(shownValue);
        return { key: c.key, name: c.name, description: c.description, value, updatedAt: iso(c.updatedAt) };
      })
      .sort((a, b) => a.name.localeCompare(b.name)),
    segments: {
      total: memberships.rows[0]?.total ?? 0,
      items: memberships.rows.map((m) => ({ id: m.id, name: m.name, key: m.key, enteredAt: iso(m.entered_at) })),
    },
    links: {
      total: links.total,
      items: links.rows.map((l) => ({
        id: l.id,
        title: showName(l.display_name) ?? (l.best_type && l.best_value ? showId(l.best_type, l.best_value) : l.kind === "account" ? "Unnamed account" : "Anonymous visitor"),
        subtitle: l.display_name?.trim() && l.best_type && l.best_value ? `${identifierLabel(l.best_type)} ${showId(l.best_type, l.best_value)}` : null,
        firstAt: iso(l.first_at),
        lastAt: iso(l.last_at),
      })),
    },
    merges: merges.rows.map((m) => ({
      id: m.id,
      survivor: { id: m.survivor_id, title: showName(m.survivor_title) ?? shortId(m.survivor_id), self: m.survivor_id === id },
      merged: { id: m.merged_id, title: showName(m.merged_title) ?? shortId(m.merged_id), self: m.merged_id === id },
      role: m.merged_id === id ? "merged" : "survivor",
      linkedBy: (Array.isArray(m.linked_by) ? m.linked_by : [])
        .filter((l): l is { type: string; value: string } => typeof l === "object" && l !== null && typeof l.type === "string" && typeof l.value === "string")
        .map((l) => ({ type: l.type, value: showId(l.type, l.value) })),
      identifierCount: m.n,
      messageId: m.message_id,
      source: src(m.source_id),
      at: iso(m.created_at),
      undoneAt: m.undone_at ? iso(m.undone_at) : null,
    })),
    conflicts: conflicts.rows.map((c) => ({
      id: c.id,
      type: c.identifier_type,
      value: showId(c.identifier_type, c.identifier_value),
      reason: c.reason,
      detail: maskJson(c.detail, canSeePii) as string,
      messageId: c.message_id,
      at: iso(c.created_at),
    })),
    piiMasked: !canSeePii,
  };
}

function traitRank(key: string): number {
  if (NAME_TRAITS.has(key)) return -1;
  const i = KEY_TRAITS.indexOf(key);
  return i === -1 ? KEY_TRAITS.length : i;
}

/** The header's facts: well-known traits first, then others, names left out (they are the title). */
function pickKeyTraits(traits: Record<string, unknown>, canSeePii: boolean, max = 5): { key: string; value: string }[] {
  const simple = Object.entries(traits).filter(([k, v]) => !NAME_TRAITS.has(k) && (typeof v === "string" ? v.trim() !== "" : typeof v === "number" || typeof v === "boolean"));
  simple.sort(([a], [b]) => traitRank(a) - traitRank(b) || a.localeCompare(b));
  return simple.slice(0, max).map(([key, value]) => ({ key, value: displayValue(maskJson(value, canSeePii, key)) }));
}

interface LinkRow {
  id: string;
  kind: ProfileKind;
  display_name: string | null;
  best_type: string | null;
  best_value: string | null;
  first_at: Date;
  last_at: Date;
}

/** A person's accounts, or an account's users (most recent first), each with its best identifier. */
async function loadLinks(pool: pg.Pool, ws: string, id: string, kind: ProfileKind): Promise<{ rows: LinkRow[]; total: number }> {
  const [mine, other] = kind === "user" ? ["user_profile_id", "account_profile_id"] : ["account_profile_id", "user_profile_id"];
  const { rows } = await pool.query<LinkRow & { total: number }>(
    `SELECT o.id, o.kind::text AS kind, o.display_name, b.type AS best_type, b.value AS best_value, l.first_at, l.last_at, count(*) OVER ()::int AS total
     FROM profile_links l
     JOIN profiles o ON o.workspace_id = l.workspace_id AND o.id = l.${other}
     LEFT JOIN LATERAL (
       SELECT i.type, i.value FROM identities i WHERE i.workspace_id = l.workspace_id AND i.profile_id = o.id
       ORDER BY CASE i.type WHEN '${ACCOUNT_IDENTIFIER_TYPE}' THEN 0 WHEN 'email' THEN 1 WHEN 'phone' THEN 2 WHEN 'user_id' THEN 3
                            WHEN 'anonymous_id' THEN 9 WHEN 'device_id' THEN 8 WHEN 'advertising_id' THEN 8 ELSE 5 END, ${identityLastSeenSql("i")} DESC
       LIMIT 1) b ON true
     WHERE l.workspace_id = $1 AND l.${mine} = $2
     ORDER BY l.last_at DESC, o.id LIMIT $3`,
    [ws, id, MAX_LINKS],
  );
  return { rows, total: rows[0]?.total ?? 0 };
}

/** An identifier of a profile by its id (for unmerge: the client never sends the value back). */
export async function identifierOfProfile(options: { workspaceId: string; profileId: string; identityId: string; pool?: pg.Pool }): Promise<{ type: string; value: string } | null> {
  if (!isUuid(options.profileId) || !/^\d{1,18}$/.test(options.identityId)) return null;
  const { rows } = await (options.pool ?? getPool()).query<{ type: string; value: string }>(
    `SELECT type, value FROM identities WHERE workspace_id = $1 AND id = $2 AND profile_id = $3`,
    [options.workspaceId, options.identityId, options.profileId],
  );
  return rows[0] ?? null;
}
