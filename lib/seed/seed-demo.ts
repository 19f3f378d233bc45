// The demo workspace a newcomer meets on the first `npm start`. Seeded once: the marker in
// system_settings keeps a later start (or a deleted demo workspace) from seeding again.
//
// Besides users and sources, the demo gets a synthetic customer population (~3,000 people, ~57,000
// messages over the last 60 days, lib/identity/synthetic-population.ts), stored exactly as the
// tracking API stores real traffic: normalizeMessage, then the group-commit EventWriter (dedupe
// keys, ingest batches, per-minute stats). Each message keeps its own timestamp (60 days of
// history); receivedAt is the time of seeding. The pipeline worker resolves them into profiles on
// its own once the job runner starts. MessageIds are deterministic, so seeding again stores nothing
// twice (within the dedupe window; after that, a per-workspace marker skips the population).
import type pg from "pg";
import { db } from "@/lib/db/prisma";
import { getPool } from "@/lib/db/pool";
import { hashPassword } from "@/lib/auth/password";
import type { Role } from "@/lib/auth/permissions";
import { generatePopulation, type SyntheticMessage, type SyntheticSourceKind } from "@/lib/identity/synthetic-population";
import { createApiToken } from "@/lib/profile-api/api-tokens";
import { EventWriter } from "@/lib/ingest/event-writer";
import { seedDemoSegments } from "@/lib/seed/demo-segments";
import { prepareMessage, type PreparedMessage } from "@/lib/ingest/parse-tracking-request";
import { generateWriteKey } from "@/lib/sources/generate-write-key";
import type { SourceKind } from "@/lib/sources/source-input";

export const DEMO_PASSWORD = "tessera-demo";
export const DEMO_WORKSPACE = { slug: "demo", name: "Demo Store" };
export const DEMO_USERS: { email: string; name: string; role: Role }[] = [
  { email: "admin@demo.tessera.dev", name: "Ada Admin", role: "admin" },
  { email: "marketer@demo.tessera.dev", name: "Mia Marketer", role: "marketer" },
  { email: "agent@demo.tessera.dev", name: "Sam Agent", role: "agent" },
];
/** `population`: which synthetic system's messages the source receives (none for the checkout service). */
export const DEMO_SOURCES: { name: string; kind: SourceKind; population?: SyntheticSourceKind }[] = [
  { name: "Online shop", kind: "website", population: "web" },
  { name: "Checkout service", kind: "server" },
  { name: "Shop app", kind: "mobile", population: "app" },
  { name: "CRM export", kind: "file", population: "crm" },
  { name: "Shopify POS", kind: "server", population: "pos" },
  { name: "Klaviyo email", kind: "server", population: "email" },
  { name: "Zendesk support", kind: "server", population: "support" },
];
/** The demo population: fixed seed, so message ids (and people) are the same on every run. */
export const DEMO_POPULATION = { seed: 20_250_601, people: 3000, days: 60 };
const MARKER = "demo_seeded_at";
const populationMarker = (workspaceId: string) => `demo_population_seeded_at:${workspaceId}`;
/** Messages per writer append (the writer flushes up to 1,000 rows) and appends in flight. */
const APPEND_ROWS = 1000;
const MAX_APPENDS_IN_FLIGHT = 4;
const DAY = 86_400_000;

export async function isDemoSeeded(): Promise<boolean> {
  return (await db().systemSetting.count({ where: { key: MARKER } })) > 0;
}

export async function seedDemo(
  options: {
    force?: boolean;
    /** People in the synthetic population (default DEMO_POPULATION.people; 0: none). */
    people?: number;
    /** The population spans the DEMO_POPULATION.days days before this (default: now). */
    now?: Date;
    pool?: pg.Pool;
  } = {},
): Promise<"seeded" | "already-seeded"> {
  if (!options.force && (await isDemoSeeded())) return "already-seeded";
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const { workspaceId, sources } = await db().$transaction(async (tx) => {
    const workspace = await tx.workspace.upsert({
      where: { slug: DEMO_WORKSPACE.slug },
      create: DEMO_WORKSPACE,
      update: {},
      select: { id: true },
    });
    for (const u of DEMO_USERS) {
      const user = await tx.user.upsert({
        where: { email: u.email },
        create: { email: u.email, name: u.name, passwordHash },
        update: {},
        select: { id: true },
      });
      await tx.membership.upsert({
        where: { workspaceId_userId: { workspaceId: workspace.id, userId: user.id } },
        create: { workspaceId: workspace.id, userId: user.id, role: u.role },
        update: {},
      });
    }
    // Demo sources missing by name are (re)created, so a demo seeded by an older version gets the
    // newer ones; existing sources and their keys are left alone.
    const existing = await tx.source.findMany({ where: { workspaceId: workspace.id, name: { in: DEMO_SOURCES.map((s) => s.name) } }, orderBy: { createdAt: "asc" }, select: { id: true, name: true } });
    const ids = new Map<string, string>();
    for (const s of existing) if (!ids.has(s.name)) ids.set(s.name, s.id);
    for (const s of DEMO_SOURCES) {
      if (ids.has(s.name)) continue;
      const created = await tx.source.create({ data: { workspaceId: workspace.id, name: s.name, kind: s.kind, writeKeys: { create: { key: generateWriteKey() } } }, select: { id: true } });
      ids.set(s.name, created.id);
    }
    const sources = new Map<SyntheticSourceKind, string>();
    for (const s of DEMO_SOURCES) if (s.population) sources.set(s.population, ids.get(s.name)!);
    return { workspaceId: workspace.id, sources };
  });

  const people = options.people ?? DEMO_POPULATION.people;
  if (people > 0 && (await db().systemSetting.count({ where: { key: populationMarker(workspaceId) } })) === 0) {
    await storePopulation({ pool: options.pool ?? getPool(), workspaceId, sources, people, now: options.now ?? new Date() });
    const at = new Date().toISOString();
    await db().systemSetting.upsert({ where: { key: populationMarker(workspaceId) }, create: { key: populationMarker(workspaceId), value: at }, update: { value: at } });
  }

  await seedDemoSegments(workspaceId);

  // Set last, so a seed that stopped half-way is completed on the next start.
  const at = new Date().toISOString();
  await db().systemSetting.upsert({ where: { key: MARKER }, create: { key: MARKER, value: at }, update: { value: at } });
  return "seeded";
}

/** A synthetic message as the tracking API would store it. */
function prepare(message: Record<string, unknown>, receivedAt: Date): PreparedMessage {
  const result = prepareMessage(message, null, { receivedAt });
  if (!result.ok) throw new Error(`demo message ${String(message.messageId)}: ${result.problem.field} ${result.problem.message}`);
  return result.message;
}

/**
 * Generates the population and appends it per source in time order, APPEND_ROWS messages at a
 * time: the pipeline then meets each person's history roughly as it happened.
 */
async function storePopulation(options: { pool: pg.Pool; workspaceId: string; sources: Map<SyntheticSourceKind, string>; people: number; now: Date }) {
  const { workspaceId, sources } = options;
  const start = new Date(options.now.getTime() - DEMO_POPULATION.days * DAY);
  // Each message is dropped once prepared, so the population is garbage by the time it is stored.
  const messages: (SyntheticMessage | undefined)[] = generatePopulation({ seed: DEMO_POPULATION.seed, people: options.people, start, days: DEMO_POPULATION.days }).messages;
  const writer = new EventWriter(options.pool);
  const buckets = new Map<SyntheticSourceKind, PreparedMessage[]>();
  const inFlight = new Set<Promise<void>>();
  let failure: unknown = null;
  const send = async (source: SyntheticSourceKind, batch: PreparedMessage[]) => {
    const p = writer.append({ workspaceId, sourceId: sources.get(source)!, messages: batch }).then(
      () => void inFlight.delete(p),
      (err: unknown) => {
        inFlight.delete(p);
        failure ??= err;
      },
    );
    inFlight.add(p);
    while (inFlight.size >= MAX_APPENDS_IN_FLIGHT) await Promise.race(inFlight);
    if (failure) throw failure;
  };
  const receivedAt = new Date();
  for (let i = 0; i < messages.length; i++) {
    const { message, source } = messages[i]!;
    messages[i] = undefined;
    let bucket = buckets.get(source);
    if (!bucket) buckets.set(source, (bucket = []));
    bucket.push(prepare(message, receivedAt));
    if (bucket.length >= APPEND_ROWS) {
      buckets.delete(source);
      await send(source, bucket);
    }
  }
  for (const [source, bucket] of buckets) await send(source, bucket);
  await Promise.all(inFlight);
  if (failure) throw failure;
}

/** The demo Website source's current write key, for the first-run hint. */
export async function demoWebsiteKey(): Promise<string | null> {
  const key = await db().sourceWriteKey.findFirst({
    where: { expiresAt: null, source: { kind: "website", workspace: { slug: DEMO_WORKSPACE.slug } } },
    orderBy: { createdAt: "asc" },
    select: { key: true },
  });
  return key?.key ?? null;
}

/**
 * A Profile API token for the demo workspace, and a demo person to read with it. Created on the
 * first demo start, which prints it: tokens are stored hashed and cannot be shown again.
 */
export async function createDemoApiToken(): Promise<{ token: string; identifier: string } | null> {
  const workspace = await db().workspace.findUnique({ where: { slug: DEMO_WORKSPACE.slug }, select: { id: true } });
  if (!workspace) return null;
  const person = generatePopulation({ seed: DEMO_POPULATION.seed, people: DEMO_POPULATION.people, start: new Date(0), days: DEMO_POPULATION.days }).people.find((p) => p.userId);
  if (!person?.userId) return null;
  const { token } = await createApiToken({ workspaceId: workspace.id, name: "Demo token (printed at the first start)" });
  return { token, identifier: `user_id:${encodeURIComponent(person.userId)}` };
}
