// Quality of identity resolution, end to end: a seeded synthetic population (web and app visitors
// who sign in, CRM records, point-of-sale orders, email-platform events, support tickets, shared
// family devices, junk identifiers) is sent through the real tracking API (/v1/batch, one source
// and write key per system), the pipeline resolves it with the default rules, and the resulting
// profiles are scored against the truth: pairwise precision and recall over messages.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/pool";
import { db } from "@/lib/db/prisma";
import { scoreResolution, type ResolutionScore } from "@/lib/identity/score-resolution";
import { generatePopulation, JUNK_IDENTIFIERS, type SyntheticMessage, type SyntheticSourceKind } from "@/lib/identity/synthetic-population";
import { trackingServerForTests } from "@/lib/ingest/test-tracking-server";
import { drainPipeline } from "@/lib/pipeline/process-pipeline-batch";
import { createSource } from "@/lib/sources/create-source";
import type { SourceKind } from "@/lib/sources/source-input";

const SEED = 20_260_301;
const PEOPLE = 2000;
const DAYS = 60;
const MESSAGES_PER_REQUEST = 100;

const SOURCES: Record<SyntheticSourceKind, { name: string; kind: SourceKind }> = {
  web: { name: "Web shop", kind: "website" },
  app: { name: "Shop app", kind: "mobile" },
  crm: { name: "CRM sync", kind: "server" },
  pos: { name: "Point of sale", kind: "server" },
  email: { name: "Email platform", kind: "server" },
  support: { name: "Support desk", kind: "server" },
};

const server = trackingServerForTests();

const q = async <T = Record<string, unknown>>(sql: string, args: unknown[] = []) => (await getPool().query(sql, args)).rows as T[];

const send = (writeKey: string, batch: Record<string, unknown>[]) => server.send(writeKey, batch);

/**
 * Sends the messages in timestamp order: each source's messages go out in requests of up to
 * MESSAGES_PER_REQUEST with that source's write key, a request as soon as it is full, so arrival
 * order follows timestamps (within a request's span). One request at a time: resolution depends on
 * arrival order (e.g. who first used a shared device), and parallel requests would make the
 * numbers differ from run to run for a gain of a second or two.
 */
async function sendAll(messages: SyntheticMessage[], writeKeys: Record<SyntheticSourceKind, string>) {
  const requests: { source: SyntheticSourceKind; batch: Record<string, unknown>[] }[] = [];
  const open = new Map<SyntheticSourceKind, Record<string, unknown>[]>();
  for (const m of messages) {
    let batch = open.get(m.source);
    if (!batch) open.set(m.source, (batch = []));
    batch.push(m.message);
    if (batch.length === MESSAGES_PER_REQUEST) {
      requests.push({ source: m.source, batch });
      open.delete(m.source);
    }
  }
  for (const [source, batch] of open) requests.push({ source, batch });
  for (const { source, batch } of requests) await send(writeKeys[source], batch);
  return requests.length;
}

const drain = () => drainPipeline();

const fmt = (n: number) => n.toLocaleString("en-US");
const ratio = (n: number) => n.toFixed(6);

function printTable(score: ResolutionScore, timings: Record<string, number>) {
  const rows: [string, string][] = [
    ["messages", fmt(score.messages)],
    ["people", fmt(score.people)],
    ["profiles", fmt(score.profiles)],
    ["true pairs", fmt(score.truePairs)],
    ["predicted pairs", fmt(score.predictedPairs)],
    ["correct pairs", fmt(score.correctPairs)],
    ["precision", ratio(score.precision)],
    ["recall", ratio(score.recall)],
    ["false merges", fmt(score.falseMerges)],
    ["split people", fmt(score.splitPeople)],
    ...Object.entries(timings).map(([k, ms]): [string, string] => [k, `${(ms / 1000).toFixed(1)} s`]),
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const valueWidth = Math.max(...rows.map(([, v]) => v.length));
  console.log(
    [`identity resolution quality (seed ${SEED}, ${PEOPLE} people, ${DAYS} days, default rules)`, ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v.padStart(valueWidth)}`)].join("\n"),
  );
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const deviceIdOf = (m: SyntheticMessage) => obj(obj(m.message.context).device).id;
const junkKeys = new Set(JUNK_IDENTIFIERS.map((j) => `${j.type}:${j.value}`));

/** The identifiers a message carries, as "type:value" (raw, junk left out): enough to see what linked what. */
function identifiersOf(m: SyntheticMessage): string[] {
  const traits = { ...obj(obj(m.message.context).traits), ...(m.message.type === "identify" ? obj(m.message.traits) : {}) };
  const out: string[] = [];
  const add = (type: string, value: unknown) => {
    if (typeof value !== "string") return;
    const v = type === "email" ? value.trim().toLowerCase() : value;
    if (!junkKeys.has(`${type}:${v}`)) out.push(`${type}:${v}`);
  };
  add("user_id", m.message.userId);
  add("anonymous_id", m.message.anonymousId);
  add("device_id", deviceIdOf(m));
  add("email", traits.email);
  add("phone", traits.phone);
  return out;
}

/** Which people share a profile and which are spread over several, with the identifiers involved. */
function describeErrors(messages: SyntheticMessage[], assigned: Map<string, string>, limit = 10): string[] {
  const byProfile = new Map<string, Map<number, SyntheticMessage[]>>();
  const byPerson = new Map<number, Map<string, SyntheticMessage[]>>();
  for (const m of messages) {
    const profile = assigned.get(m.message.messageId as string) ?? `(none: ${String(m.message.messageId)})`;
    const people = byProfile.get(profile) ?? new Map<number, SyntheticMessage[]>();
    byProfile.set(profile, people);
    people.set(m.person, [...(people.get(m.person) ?? []), m]);
    const profiles = byPerson.get(m.person) ?? new Map<string, SyntheticMessage[]>();
    byPerson.set(m.person, profiles);
    profiles.set(profile, [...(profiles.get(profile) ?? []), m]);
  }
  const summary = (ms: SyntheticMessage[]) => `${ms.length} message(s): ${[...new Set(ms.flatMap(identifiersOf))].slice(0, 8).join(", ")}`;
  const lines: string[] = [];
  const merged = [...byProfile].filter(([, people]) => people.size > 1);
  for (const [profile, people] of merged.slice(0, limit)) {
    lines.push(`false merge: profile ${profile}`, ...[...people].map(([person, ms]) => `  person ${person}: ${summary(ms)}`));
  }
  const split = [...byPerson].filter(([, profiles]) => profiles.size > 1);
  for (const [person, profiles] of split.slice(0, limit)) {
    lines.push(`split: person ${person}`, ...[...profiles].map(([profile, ms]) => `  profile ${profile}: ${summary(ms)}`));
  }
  if (merged.length > limit || split.length > limit) lines.push(`(first ${limit} of ${merged.length} false merges and ${split.length} split people)`);
  return lines;
}

describe("identity resolution quality", () => {
  it("resolves a synthetic population with no false merges and recall of at least 0.99", { timeout: 600_000 }, async () => {
    const began = Date.now();
    const population = generatePopulation({ seed: SEED, people: PEOPLE, start: new Date("2026-03-01T00:00:00.000Z"), days: DAYS });
    const { messages, sharedIdentifiers } = population;

    const id = randomBytes(4).toString("hex");
    const workspace = await db().workspace.create({ data: { slug: `quality-${id}`, name: `Resolution quality ${id}` } });
    const ws = workspace.id;
    const writeKeys = {} as Record<SyntheticSourceKind, string>;
    for (const [kind, { name, kind: sourceKind }] of Object.entries(SOURCES) as [SyntheticSourceKind, (typeof SOURCES)[SyntheticSourceKind]][]) {
      const source = await createSource({ workspaceId: ws, name, kind: sourceKind });
      writeKeys[kind] = (await db().sourceWriteKey.findFirstOrThrow({ where: { sourceId: source.id } })).key;
    }

    const sendStarted = Date.now();
    const requests = await sendAll(messages, writeKeys);
    const drainStarted = Date.now();
    const resolvedEvents = await drain();
    const drained = Date.now();

    // messageId → profile, through each event's anchor identity.
    const rows = await q<{ message_id: string; profile_id: string }>(
      `SELECT e.message_id, i.profile_id FROM events e
       JOIN event_identities a ON a.workspace_id = e.workspace_id AND a.event_id = e.id AND a.received_at = e.received_at
       JOIN identities i ON i.workspace_id = a.workspace_id AND i.id = a.identity_id
       WHERE e.workspace_id = $1`,
      [ws],
    );
    const assigned = new Map(rows.map((r) => [r.message_id, r.profile_id]));
    const truth = new Map(messages.map((m) => [m.message.messageId as string, m.person]));
    const score = scoreResolution({ truth, assigned });
    const [{ stored }] = await q<{ stored: number }>(`SELECT count(*)::int AS stored FROM events WHERE workspace_id = $1`, [ws]);

    printTable(score, {
      [`send (${requests} HTTP requests)`]: drainStarted - sendStarted,
      [`pipeline (${resolvedEvents} events)`]: drained - drainStarted,
      total: Date.now() - began,
    });
    const conflicts = await q<{ reason: string; identifier_type: string; n: number }>(
      `SELECT reason, identifier_type, count(*)::int AS n FROM identity_conflicts WHERE workspace_id = $1 GROUP BY 1, 2 ORDER BY 1, 2`,
      [ws],
    );
    if (conflicts.length > 0) console.log(`conflicts: ${conflicts.map((c) => `${c.reason} ${c.identifier_type} ${c.n}`).join(", ")}`);
    if (score.falseMerges > 0 || score.splitPeople > 0) console.log(describeErrors(messages, assigned).join("\n"));

    expect(stored).toBe(messages.length);
    expect(assigned.size).toBe(messages.length);
    // Events point at live profiles only: merged-away profiles hand their identities over.
    const [{ dead }] = await q<{ dead: number }>(
      `SELECT count(*)::int AS dead FROM profiles WHERE workspace_id = $1 AND id = ANY($2::uuid[]) AND merged_into_id IS NOT NULL`,
      [ws, [...new Set(assigned.values())]],
    );
    expect(dead).toBe(0);

    // Shared family devices never put two of their people in one profile.
    const householdMixes: string[] = [];
    for (const shared of sharedIdentifiers) {
      const peopleOnIt = new Set(messages.filter((m) => deviceIdOf(m) === shared.value).map((m) => m.person));
      const profilePeople = new Map<string, Set<number>>();
      for (const m of messages) {
        if (!peopleOnIt.has(m.person)) continue;
        const profile = assigned.get(m.message.messageId as string);
        if (profile === undefined) continue;
        let set = profilePeople.get(profile);
        if (!set) profilePeople.set(profile, (set = new Set()));
        set.add(m.person);
      }
      for (const [profile, set] of profilePeople) if (set.size > 1) householdMixes.push(`${shared.type}:${shared.value} → profile ${profile} holds people ${[...set].join(", ")}`);
    }
    expect.soft(householdMixes).toEqual([]);

    // Junk identifier values never become identities, of any type.
    const junk = await q<{ type: string; value: string }>(`SELECT type, value FROM identities WHERE workspace_id = $1 AND value = ANY($2::text[])`, [
      ws,
      JUNK_IDENTIFIERS.map((j) => j.value),
    ]);
    expect.soft(junk).toEqual([]);

    expect.soft(score.falseMerges).toBe(0);
    expect.soft(score.precision).toBe(1);
    expect.soft(score.recall).toBeGreaterThanOrEqual(0.99);
  });
});
