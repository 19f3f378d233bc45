// Identity resolution of a batch of events, in memory and in event order: each event's identifiers
// find (or found) one profile; an event that brings identifiers of two profiles merges them,
// unless that would break a rule (per-type limits, identifier and merge caps) — then the weaker
// identifier is left where it is and the conflict is reported. Pure: the caller loads what the
// batch touches (identities and their profiles' counts) and writes the outcome back.
import { ACCOUNT_IDENTIFIER_TYPE, priorityRank, type IdentitySettings } from "@/lib/identity/identity-settings";
import type { Identifier } from "@/lib/identity/extract-identifiers";

export const identityKey = (i: Identifier) => `${i.type}\u0000${i.value}`;

export interface ProfileCounts {
  /** Identifiers of the profile per type. */
  types: Record<string, number>;
  identifiers: number;
  merges: number;
}

export interface ResolutionEvent {
  key: string;
  /** Strongest first, as extractIdentifiers returns them. */
  identifiers: Identifier[];
  /** `alias` calls: the id the person was known by before. */
  previousId: string | null;
  /** `group` calls: the account. */
  account: Identifier | null;
}

export interface ResolutionInput {
  settings: IdentitySettings;
  events: ResolutionEvent[];
  /** Existing identities the batch mentions: identityKey → owning profile. */
  identities: Map<string, string>;
  /**
   * Counts of the profiles owning those identities. Only those resolution consults are needed
   * (profiles that gain identifiers or merge): one missing here is taken as empty and reported in
   * `missingCounts`, so the caller can load it and resolve again.
   */
  profiles: Map<string, ProfileCounts>;
  /** Profiles an admin split apart, which must not merge again: profile → the others. */
  separations?: Map<string, Set<string>>;
  newProfileId: () => string;
}

export type ConflictReason = "type_limit" | "identifier_cap" | "merge_cap" | "unmerged";

export interface ResolutionConflict {
  eventKey: string;
  profileId: string;
  identifier: Identifier;
  reason: ConflictReason;
  detail: string;
}

export interface ResolutionMerge {
  eventKey: string;
  survivorId: string;
  mergedId: string;
  linkedBy: Identifier[];
  /** Profiles whose identities moved in this merge: the merged one and all merged into it before. */
  absorbed: string[];
}

export interface ResolvedEvent {
  profileId: string;
  /** The strongest identifier of the event that belongs to the profile: the timeline anchor. */
  anchor: Identifier;
  accountProfileId: string | null;
}

export interface ResolutionOutput {
  events: Map<string, ResolvedEvent | null>;
  /** New profiles in creation order, with their kind. */
  newProfiles: { id: string; kind: "user" | "account" }[];
  /** New identities and the profile that first owned them. */
  newIdentities: { identifier: Identifier; ownerId: string; eventKey: string }[];
  merges: ResolutionMerge[];
  conflicts: ResolutionConflict[];
  /** Where a profile ended up after this batch's merges. */
  root: (profileId: string) => string;
  /** Merge count of each profile that merged in this batch (its new total). */
  mergeCounts: Map<string, number>;
  /** Existing profiles whose counts resolution consulted but `input.profiles` lacked: the outcome holds only if they are truly empty. */
  missingCounts: string[];
}

export function resolveIdentities(input: ResolutionInput): ResolutionOutput {
  const { settings } = input;
  const owner = new Map(input.identities);
  const shared = new Set(settings.sharedTypes);
  const counts = new Map<string, ProfileCounts>();
  for (const [id, c] of input.profiles) counts.set(id, { types: { ...c.types }, identifiers: c.identifiers, merges: c.merges });
  const parent = new Map<string, string>();
  const apart = new Map<string, Set<string>>();
  for (const [p, others] of input.separations ?? []) apart.set(p, new Set(others));
  const absorbedBy = new Map<string, string[]>();
  const missing = new Set<string>();
  const out: ResolutionOutput = { events: new Map(), newProfiles: [], newIdentities: [], merges: [], conflicts: [], root, mergeCounts: new Map(), missingCounts: [] };

  function root(profileId: string): string {
    let p = profileId;
    while (parent.has(p)) p = parent.get(p)!;
    return p;
  }
  const profileOf = (i: Identifier) => {
    const o = owner.get(identityKey(i));
    return o === undefined ? undefined : root(o);
  };
  const countsOf = (p: string) => {
    let c = counts.get(p);
    if (!c) {
      missing.add(p);
      counts.set(p, (c = { types: {}, identifiers: 0, merges: 0 }));
    }
    return c;
  };
  const newProfile = (kind: "user" | "account") => {
    const id = input.newProfileId();
    out.newProfiles.push({ id, kind });
    counts.set(id, { types: {}, identifiers: 0, merges: 0 });
    return id;
  };

  function attachRefusal(p: string, i: Identifier): { reason: ConflictReason; detail: string } | null {
    const c = countsOf(p);
    const limit = settings.limits[i.type];
    if (limit !== undefined && (c.types[i.type] ?? 0) + 1 > limit) {
      return { reason: "type_limit", detail: `the profile already has ${c.types[i.type]} ${i.type} identifier(s); the limit is ${limit}` };
    }
    if (c.identifiers + 1 > settings.maxIdentifiersPerProfile) {
      return { reason: "identifier_cap", detail: `the profile already has ${c.identifiers} identifiers; the cap is ${settings.maxIdentifiersPerProfile}` };
    }
    return null;
  }

  function mergeRefusal(survivor: string, merged: string): { reason: ConflictReason; detail: string } | null {
    if ([...(apart.get(survivor) ?? [])].some((p) => root(p) === merged)) {
      return { reason: "unmerged", detail: "an admin split these profiles apart; they are not merged again" };
    }
    const a = countsOf(survivor);
    const b = countsOf(merged);
    for (const [type, n] of Object.entries(b.types)) {
      const limit = settings.limits[type];
      const total = (a.types[type] ?? 0) + n;
      if (limit !== undefined && total > limit) return { reason: "type_limit", detail: `merging would give the profile ${total} ${type} identifiers; the limit is ${limit}` };
    }
    if (a.identifiers + b.identifiers > settings.maxIdentifiersPerProfile) {
      return { reason: "identifier_cap", detail: `merging would give the profile ${a.identifiers + b.identifiers} identifiers; the cap is ${settings.maxIdentifiersPerProfile}` };
    }
    if (a.merges + b.merges + 1 > settings.maxMergesPerProfile) {
      return { reason: "merge_cap", detail: `the profiles have been merged ${a.merges + b.merges} times; the cap is ${settings.maxMergesPerProfile}` };
    }
    return null;
  }

  function attach(p: string, i: Identifier, eventKey: string) {
    owner.set(identityKey(i), p);
    const c = countsOf(p);
    c.types[i.type] = (c.types[i.type] ?? 0) + 1;
    c.identifiers++;
    out.newIdentities.push({ identifier: i, ownerId: p, eventKey });
  }

  function merge(survivor: string, merged: string, eventKey: string, linkedBy: Identifier[]) {
    const a = countsOf(survivor);
    const b = countsOf(merged);
    for (const [type, n] of Object.entries(b.types)) a.types[type] = (a.types[type] ?? 0) + n;
    a.identifiers += b.identifiers;
    a.merges += b.merges + 1;
    parent.set(merged, survivor);
    const mergedApart = apart.get(merged);
    if (mergedApart) apart.set(survivor, new Set([...(apart.get(survivor) ?? []), ...mergedApart]));
    const absorbed = [merged, ...(absorbedBy.get(merged) ?? [])];
    absorbedBy.set(survivor, [...(absorbedBy.get(survivor) ?? []), ...absorbed]);
    out.merges.push({ eventKey, survivorId: survivor, mergedId: merged, linkedBy, absorbed });
    out.mergeCounts.set(survivor, a.merges);
  }

  for (const event of input.events) {
    const ids = [...event.identifiers];
    if (event.previousId !== null) {
      // alias: the earlier id is whichever of user_id / anonymous_id is known, else an anonymous id.
      const asUser = { type: "user_id", value: event.previousId };
      const asAnon = { type: "anonymous_id", value: event.previousId };
      const previous = profileOf(asUser) !== undefined ? asUser : asAnon;
      if (!ids.some((i) => i.type === previous.type && i.value === previous.value)) {
        ids.push(previous);
        ids.sort((x, y) => priorityRank(settings, x.type) - priorityRank(settings, y.type));
      }
    }

    let accountProfileId: string | null = null;
    if (event.account) {
      accountProfileId = profileOf(event.account) ?? null;
      if (accountProfileId === null) {
        accountProfileId = newProfile("account");
        attach(accountProfileId, event.account, event.key);
      }
    }

    const persons = ids.filter((i) => i.type !== ACCOUNT_IDENTIFIER_TYPE);
    if (persons.length === 0) {
      out.events.set(event.key, null);
      continue;
    }
    // Shared identifiers (device ids) only decide when the event has nothing else.
    const linking = persons.some((i) => !shared.has(i.type)) ? persons.filter((i) => !shared.has(i.type)) : persons;
    // The strongest identifier decides the profile. When it is new, it joins the profile of the
    // event's other identifiers if that profile may take it, else it starts a profile of its own.
    const [strongest] = linking;
    let base = profileOf(strongest);
    if (base === undefined) {
      const known = linking.map(profileOf).find((p) => p !== undefined);
      base = known !== undefined && attachRefusal(known, strongest) === null ? known : newProfile("user");
      attach(base, strongest, event.key);
    }
    for (const i of persons) {
      const current = profileOf(i);
      if (current === base) continue;
      if (current !== undefined && shared.has(i.type) && linking !== persons) continue; // stays with its first owner
      const refusal = current === undefined ? attachRefusal(base, i) : mergeRefusal(base, current);
      if (refusal) {
        out.conflicts.push({ eventKey: event.key, profileId: base, identifier: i, ...refusal });
        continue;
      }
      if (current === undefined) attach(base, i, event.key);
      else merge(base, current, event.key, [strongest, i]);
    }
    const anchor = persons.find((i) => profileOf(i) === base)!;
    out.events.set(event.key, { profileId: base, anchor, accountProfileId });
  }
  out.missingCounts = [...missing];
  return out;
}
