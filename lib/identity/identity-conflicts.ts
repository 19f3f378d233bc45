// The latest identity conflicts of a workspace (identifiers resolution refused to attach or merge),
// newest first, a page at a time, for the Identity page. Contact details are masked for roles
// without profiles.read_pii.
import { getPool } from "@/lib/db/pool";
import { isPiiTrait, maskValue, PII_TYPES } from "@/lib/profiles/mask-pii";
import type { ConflictReason } from "@/lib/identity/resolve-identities";

export const CONFLICT_REASONS: Record<ConflictReason, { label: string; explanation: string }> = {
  type_limit: { label: "Limit per type reached", explanation: "The profile already had as many identifiers of this type as the limit allows." },
  identifier_cap: { label: "Identifier cap reached", explanation: "The profile already had as many identifiers as the cap allows." },
  merge_cap: { label: "Merge cap reached", explanation: "The profiles had been merged as often as the cap allows." },
  unmerged: { label: "Split by an admin", explanation: "An admin separated these profiles, so they are not merged again." },
};

export interface IdentityConflictView {
  id: string;
  createdAt: string;
  profileId: string | null;
  messageId: string | null;
  source: { id: string; name: string } | null;
  identifierType: string;
  /** Masked for roles without profiles.read_pii. */
  identifierValue: string;
  reason: string;
  reasonLabel: string;
  detail: string;
}

export interface IdentityConflictPage {
  conflicts: IdentityConflictView[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

export const CONFLICTS_PAGE_SIZE = 20;

// Cursor: "<created_at ISO>_<id>" of the last row shown.
const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)_(\d{1,19})$/;

export function parseConflictCursor(value: unknown): { createdAt: string; id: string } | null {
  const m = typeof value === "string" ? CURSOR.exec(value) : null;
  return m && !Number.isNaN(Date.parse(m[1])) ? { createdAt: m[1], id: m[2] } : null;
}

export function reasonLabel(reason: string): string {
  return CONFLICT_REASONS[reason as ConflictReason]?.label ?? reason.replace(/_/g, " ");
}

/** Email and phone values, and those of custom types named like contact details (work_email), masked. */
export function visibleConflictValue(type: string, value: string, canSeePii: boolean): string {
  return canSeePii || !(PII_TYPES.has(type) || isPiiTrait(type)) ? value : maskValue(type, value);
}

export async function listIdentityConflicts(options: {
  workspaceId: string;
  canSeePii: boolean;
  /** A cursor from a previous page (invalid ones start from the newest). */
  before?: string | null;
  limit?: number;
}): Promise<IdentityConflictPage> {
  const limit = Math.min(Math.max(options.limit ?? CONFLICTS_PAGE_SIZE, 1), 200);
  const cursor = parseConflictCursor(options.before);
  const { rows } = await getPool().query<{
    id: string;
    created_at: Date;
    profile_id: string | null;
    message_id: string | null;
    source_id: string | null;
    source_name: string | null;
    identifier_type: string;
    identifier_value: string;
    reason: string;
    detail: string;
  }>(
    `SELECT c.id::text, c.created_at, c.profile_id, c.message_id, c.source_id, s.name AS source_name,
            c.identifier_type, c.identifier_value, c.reason, c.detail
     FROM identity_conflicts c
     LEFT JOIN sources s ON s.workspace_id = c.workspace_id AND s.id = c.source_id
     WHERE c.workspace_id = $1 AND ($2::timestamptz IS NULL OR (c.created_at, c.id) < ($2::timestamptz, $3::bigint))
     ORDER BY c.created_at DESC, c.id DESC
     LIMIT $4`,
    [options.workspaceId, cursor?.createdAt ?? null, cursor?.id ?? null, limit + 1],
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    conflicts: page.map((r) => ({
      id: r.id,
      createdAt: r.created_at.toISOString(),
      profileId: r.profile_id,
      messageId: r.message_id,
      source: r.source_id ? { id: r.source_id, name: r.source_name ?? "Deleted source" } : null,
      identifierType: r.identifier_type,
      identifierValue: visibleConflictValue(r.identifier_type, r.identifier_value, options.canSeePii),
      reason: r.reason,
      reasonLabel: reasonLabel(r.reason),
      detail: r.detail,
    })),
    nextCursor: rows.length > limit && last ? `${last.created_at.toISOString()}_${last.id}` : null,
  };
}
