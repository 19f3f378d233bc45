// Saving a workspace's identity rules (the Identity page): the schema's checks with messages an
// admin can act on, the checks the schema cannot make alone (duplicates, limits of unknown types,
// sources of other workspaces), then one row per workspace in identity_settings.
import type pg from "pg";
import type { z } from "zod";
import { getPool } from "@/lib/db/pool";
import { isUuid } from "@/lib/db/uuid";
import { AppError } from "@/lib/errors";
import {
  ACCOUNT_IDENTIFIER_TYPE,
  BUILT_IN_IDENTIFIER_TYPES,
  DEFAULT_IDENTITY_SETTINGS,
  identitySettingsSchema,
  SURVIVORSHIP_RULES,
  type IdentitySettings,
} from "@/lib/identity/identity-settings";

export type FieldErrors = Record<string, string[]>;

/** The settings as the Identity page shows them, with who saved them last. */
export interface IdentitySettingsRecord {
  settings: IdentitySettings;
  /** ISO time of the last save; null while the workspace uses the defaults. */
  updatedAt: string | null;
  updatedByName: string | null;
  isDefault: boolean;
}

const RULE_WORDS: Record<(typeof SURVIVORSHIP_RULES)[number], string> = {
  most_recent: "most recent",
  first: "first",
  source_priority: "source priority",
  most_frequent: "most frequent",
};

const FIELD_NAMES: Record<keyof IdentitySettings, string> = {
  priority: "The priority list",
  sharedTypes: "The list of shared identifiers",
  limits: "The limits",
  blockedValues: "The list of blocked values",
  blockedPatterns: "The list of blocked patterns",
  maxMergesPerProfile: "The merge cap",
  maxIdentifiersPerProfile: "The identifier cap",
  phoneRegion: "The default phone region",
  traitIdentifiers: "The trait mappings",
  traitRules: "The survivorship rules",
  sourcePriority: "The source order",
};

const RESERVED_KEYS = new Set(["__proto__", "constructor", "prototype"]);

const quote = (value: unknown) => {
  const text = String(value);
  return `“${text.length > 60 ? `${text.slice(0, 57)}…` : text}”`;
};
const fmt = (n: unknown) => (typeof n === "number" || typeof n === "bigint" ? n.toLocaleString("en") : String(n));

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let v = input;
  for (const key of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** What an issue is about, as the start of a sentence ("Pattern “[a-”"). */
function subjectOf(issue: z.core.$ZodIssue, input: unknown): string {
  const [field, key] = issue.path;
  const item = issue.path.length >= 2 ? valueAt(input, issue.path) : undefined;
  const keyIssue = issue.code === "invalid_key";
  const keyName = key === "" ? "A trait key" : `Trait key ${quote(key)}`;
  switch (field) {
    case "priority":
      return typeof item === "string" ? `Identifier type ${quote(item)}` : key !== undefined ? `Entry ${Number(key) + 1} of the priority list` : FIELD_NAMES.priority;
    case "sharedTypes":
      return typeof item === "string" ? `Shared type ${quote(item)}` : FIELD_NAMES.sharedTypes;
    case "limits":
      if (key === undefined) return FIELD_NAMES.limits;
      return keyIssue ? `Identifier type ${quote(key)}` : `The limit for ${String(key)}`;
    case "blockedValues":
      return typeof item === "string" ? `Blocked value ${quote(item)}` : FIELD_NAMES.blockedValues;
    case "blockedPatterns":
      return typeof item === "string" ? `Pattern ${quote(item)}` : FIELD_NAMES.blockedPatterns;
    case "traitIdentifiers":
      if (key === undefined) return FIELD_NAMES.traitIdentifiers;
      return keyIssue ? keyName : `The identifier type for trait ${quote(key)}`;
    case "traitRules":
      if (key === undefined) return FIELD_NAMES.traitRules;
      return keyIssue ? keyName : `The rule for trait ${quote(key)}`;
    case "sourcePriority":
      return typeof item === "string" ? `Source ${quote(item)}` : FIELD_NAMES.sourcePriority;
    default:
      return typeof field === "string" && field in FIELD_NAMES ? FIELD_NAMES[field as keyof IdentitySettings] : "The settings";
  }
}

/** What is wrong, as the end of a sentence ("is not a valid regular expression"). */
function predicateOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_key":
      return issue.issues[0] ? predicateOf(issue.issues[0]) : "is not allowed";
    case "custom":
      return issue.message;
    case "invalid_format":
      return issue.format === "regex" ? issue.message : issue.format === "uuid" ? "is not a source id" : "has the wrong format";
    case "too_small":
      if (issue.origin === "number") return `must be at least ${fmt(issue.minimum)}`;
      if (issue.origin === "string") return Number(issue.minimum) <= 1 ? "must not be empty" : `must be at least ${fmt(issue.minimum)} characters long`;
      return `needs at least ${fmt(issue.minimum)} entries`;
    case "too_big":
      if (issue.origin === "number") return `must be at most ${fmt(issue.maximum)}`;
      if (issue.origin === "string") return `must be at most ${fmt(issue.maximum)} characters long`;
      return `can have at most ${fmt(issue.maximum)} entries`;
    case "invalid_type":
      if (issue.expected === "int" || issue.expected === "number") return "must be a whole number";
      if (issue.expected === "array") return "must be a list";
      if (issue.expected === "record" || issue.expected === "object") return "must be a list of entries";
      if (issue.expected === "string") return "must be text";
      return "has the wrong type";
    case "invalid_value":
      return `must be one of: ${issue.values.map((v) => RULE_WORDS[v as keyof typeof RULE_WORDS] ?? String(v)).join(", ")}`;
    default:
      return issue.message;
  }
}

function add(errors: FieldErrors, path: string, message: string) {
  (errors[path] ??= []).push(message);
}

/** The schema's issues as sentences keyed by field path ("blockedPatterns.2", "limits.email"). */
export function schemaFieldErrors(error: z.ZodError, input: unknown): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) add(errors, issue.path.map(String).join(".") || "_", `${subjectOf(issue, input)} ${predicateOf(issue)}.`);
  return errors;
}

/**
 * Checks the schema cannot make on its own. `sourceIds`: the workspace's sources. Returns field
 * errors keyed like the schema's (empty when all is well).
 */
export function identitySettingsProblems(settings: IdentitySettings, sourceIds: ReadonlySet<string>): FieldErrors {
  const errors: FieldErrors = {};
  const accountOnly = `identifies accounts (from group calls), not people`;

  const seen = new Set<string>();
  settings.priority.forEach((type, i) => {
    if (type === ACCOUNT_IDENTIFIER_TYPE) add(errors, `priority.${i}`, `Identifier type ${quote(type)} ${accountOnly}.`);
    else if (seen.has(type)) add(errors, `priority.${i}`, `Identifier type ${quote(type)} is listed twice.`);
    seen.add(type);
  });

  const shared = new Set<string>();
  settings.sharedTypes.forEach((type, i) => {
    if (type === ACCOUNT_IDENTIFIER_TYPE) add(errors, `sharedTypes.${i}`, `Shared type ${quote(type)} ${accountOnly}.`);
    else if (shared.has(type)) add(errors, `sharedTypes.${i}`, `Shared type ${quote(type)} is listed twice.`);
    shared.add(type);
  });

  const known = new Set<string>([...BUILT_IN_IDENTIFIER_TYPES, ...settings.priority]);
  for (const type of Object.keys(settings.limits)) {
    if (type === ACCOUNT_IDENTIFIER_TYPE) add(errors, `limits.${type}`, `Identifier type ${quote(type)} ${accountOnly}.`);
    else if (!known.has(type)) add(errors, `limits.${type}`, `There is no identifier type ${quote(type)}: add it to the priority list before giving it a limit.`);
  }

  for (const [field, what] of [
    ["traitIdentifiers", "mapping"],
    ["traitRules", "rule"],
  ] as const) {
    for (const key of Object.keys(settings[field])) {
      if (key.trim() !== key) add(errors, `${field}.${key}`, `Trait key ${quote(key)} must not start or end with a space.`);
      else if (RESERVED_KEYS.has(key)) add(errors, `${field}.${key}`, `Trait key ${quote(key)} is a reserved name; it cannot have a ${what}.`);
    }
  }
  for (const [key, type] of Object.entries(settings.traitIdentifiers)) {
    if (type === ACCOUNT_IDENTIFIER_TYPE) add(errors, `traitIdentifiers.${key}`, `The identifier type for trait ${quote(key)} cannot be ${type}: it ${accountOnly}.`);
  }

  const sources = new Set<string>();
  settings.sourcePriority.forEach((id, i) => {
    if (sources.has(id)) add(errors, `sourcePriority.${i}`, `Source ${quote(id)} is listed twice.`);
    else if (!sourceIds.has(id)) add(errors, `sourcePriority.${i}`, `Source ${quote(id)} is not a source of this workspace.`);
    sources.add(id);
  });
  return errors;
}

/** Tidies what does not change meaning: repeated blocked values (case-insensitive) and patterns. */
export function tidyIdentitySettings(settings: IdentitySettings): IdentitySettings {
  const values = new Set<string>();
  return {
    ...settings,
    blockedValues: settings.blockedValues.filter((v) => {
      const k = v.toLowerCase();
      return values.has(k) ? false : (values.add(k), true);
    }),
    blockedPatterns: [...new Set(settings.blockedPatterns)],
  };
}

function invalid(errors: FieldErrors): AppError {
  const messages = Object.values(errors).flat();
  const message = messages.length === 1 ? messages[0] : `${messages.length} settings need attention: ${messages[0]}`;
  return new AppError("invalid_input", message, errors);
}

/** Validates without a database: the schema, then the cross-field checks. Throws AppError. */
export function validateIdentitySettings(input: unknown, sourceIds: ReadonlySet<string>): IdentitySettings {
  const parsed = identitySettingsSchema.safeParse(input);
  if (!parsed.success) throw invalid(schemaFieldErrors(parsed.error, input));
  const problems = identitySettingsProblems(parsed.data, sourceIds);
  if (Object.keys(problems).length > 0) throw invalid(problems);
  return tidyIdentitySettings(parsed.data);
}

type Row = { settings: unknown; updated_at: Date | null; updated_by_name: string | null };

function toRecord(row: Row | undefined): IdentitySettingsRecord {
  if (!row) return { settings: DEFAULT_IDENTITY_SETTINGS, updatedAt: null, updatedByName: null, isDefault: true };
  const parsed = identitySettingsSchema.partial().safeParse(row.settings);
  return {
    // Same reading as getIdentitySettings: the saved settings over the defaults.
    settings: { ...DEFAULT_IDENTITY_SETTINGS, ...(parsed.success ? parsed.data : {}) },
    updatedAt: row.updated_at?.toISOString() ?? null,
    updatedByName: row.updated_by_name,
    isDefault: false,
  };
}

async function readRecord(client: pg.Pool | pg.PoolClient, workspaceId: string): Promise<IdentitySettingsRecord> {
  const { rows } = await client.query<Row>(
    `SELECT s.settings, s.updated_at, u.name AS updated_by_name
     FROM identity_settings s LEFT JOIN users u ON u.id = s.updated_by_id
     WHERE s.workspace_id = $1`,
    [workspaceId],
  );
  return toRecord(rows[0]);
}

/** The workspace's identity settings with who saved them last (for the Identity page). */
export function getIdentitySettingsRecord(workspaceId: string): Promise<IdentitySettingsRecord> {
  return readRecord(getPool(), workspaceId);
}

/**
 * Validates and stores a workspace's identity settings; returns them as stored. With
 * `expectedUpdatedAt` (the updatedAt the editor loaded, null for "defaults"), refuses to overwrite
 * a save made in the meantime by someone else.
 */
export async function saveIdentitySettings(options: {
  workspaceId: string;
  userId: string | null;
  settings: unknown;
  expectedUpdatedAt?: string | null;
}): Promise<IdentitySettingsRecord> {
  const { workspaceId } = options;
  const pool = getPool();
  const ids = valueAt(options.settings, ["sourcePriority"]);
  const wanted = Array.isArray(ids) ? ids.filter((id): id is string => isUuid(id)) : [];
  const sourceIds = new Set<string>();
  if (wanted.length > 0) {
    const { rows } = await pool.query<{ id: string }>(`SELECT id FROM sources WHERE workspace_id = $1 AND id = ANY($2::uuid[])`, [workspaceId, wanted]);
    for (const r of rows) sourceIds.add(r.id);
  }
  const settings = validateIdentitySettings(options.settings, sourceIds);

  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const { rows: current } = await client.query<{ updated_at: Date }>(`SELECT updated_at FROM identity_settings WHERE workspace_id = $1 FOR UPDATE`, [workspaceId]);
    if (options.expectedUpdatedAt !== undefined && (current[0]?.updated_at.toISOString() ?? null) !== options.expectedUpdatedAt) {
      throw new AppError("conflict", "Someone else changed the identity rules since you opened this page. Reload the page to see their changes, then make yours again.");
    }
    await client.query(
      `INSERT INTO identity_settings (workspace_id, settings, updated_at, updated_by_id) VALUES ($1, $2, now(), $3)
       ON CONFLICT (workspace_id) DO UPDATE SET settings = EXCLUDED.settings, updated_at = EXCLUDED.updated_at, updated_by_id = EXCLUDED.updated_by_id`,
      [workspaceId, JSON.stringify(settings), options.userId],
    );
    const saved = await readRecord(client, workspaceId);
    await client.query("COMMIT");
    return saved;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/** Back to the defaults: the workspace's row is removed, so it follows future default changes too. */
export async function resetIdentitySettings(options: { workspaceId: string }): Promise<IdentitySettingsRecord> {
  await getPool().query(`DELETE FROM identity_settings WHERE workspace_id = $1`, [options.workspaceId]);
  return toRecord(undefined);
}
