// The SQL compiler and the in-memory evaluator must agree on every rule and every profile: for
// thousands of random rule trees over random profiles (traits of every JSON type, numeric and date
// strings, impossible dates, upper/lower case and non-ASCII text, events with properties around the
// window boundaries, identifiers, computed-trait values, memberships of other segments), PostgreSQL
// returns exactly the profiles the evaluator accepts.
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/pool";
import { createTestSource } from "@/lib/ingest/test-tracking-server";
import { compileSegment } from "@/lib/segments/compile-segment";
import { decidedWithoutEvents, evaluateRule, type ProfileFacts } from "@/lib/segments/evaluate-segment";
import { OPERATORS, parseSegmentRule, type Comparison, type PropertyFilter, type RuleCondition, type RuleGroup, type RuleNode, type ValueType } from "@/lib/segments/segment-rule";
import { DAY_MS } from "@/lib/segments/segment-values";

const DATASETS = 8;
const RULES_PER_DATASET = 300;
const PROFILES = 40;
const SAMPLE_BOUND = "80000000-0000-0000-0000-000000000000";

const NOW = Date.UTC(2026, 10, 29, 15, 30); // 2026-11-29T15:30Z
const TRAIT_KEYS = ["country", "plan", "ltv", "vip", "signup", "score"];
const EVENT_NAMES = ["Order Completed", "Page Viewed", "order completed"];
const PROPERTIES = ["total", "currency", "coupon"];
const ID_TYPES = ["email", "user_id", "phone"];
const COMPUTED = [randomUUID(), randomUUID()];
const OTHER_SEGMENTS = [randomUUID(), randomUUID()];

const TEXTS = ["de", "DE", "De", "at", "Ärger", "ärger", "STRASSE", "straße", "ΟΔΟΣ", "οδος", "", " 12 ", "12", "12.5", "-3", "1e2", ".5", "abc", "true", "false", "pro", "Pro plan"];
const DATES = ["2026-11-29", "2026-11-28", "2026-10-30", "2026-11-29T10:00:00Z", "2026-11-29T23:59:59.999Z", "2026-11-30T00:00:00Z", "2026-02-30", "2026-11-29T10:00", "2026-11-29T10:00:00+02:00", "2025-01-01", "2026-12-05", "x2026-01-01", "2026-11-29T24:00:00Z", "0999-01-01", " 026-11-29", "2026-1a-29", "2026-11-2 ", "2026/11/29", "2026-13-01", "2026-00-10", "2026-11-29 ", "２０２６-11-29", "2024-02-29", "2026-11-29T10:00:00.5Z"];
const NUMBERS = [0, 1, 12, 12.5, -3, 100, 1000, 0.5, 2];

const anyValue = fc.oneof(fc.constantFrom(...TEXTS), fc.constantFrom(...DATES), fc.constantFrom(...NUMBERS), fc.boolean(), fc.constant(null), fc.constant({ a: 1 }), fc.constant([1, 2]));

/** Event times clustered around the window boundaries (midnights, now, N days back). */
const eventTime = fc.oneof(
  fc.integer({ min: -40, max: 2 }).map((d) => NOW + d * DAY_MS),
  fc.integer({ min: -40, max: 1 }).map((d) => Math.floor(NOW / DAY_MS) * DAY_MS + d * DAY_MS),
  fc.integer({ min: -40, max: 1 }).map((d) => Math.floor(NOW / DAY_MS) * DAY_MS + d * DAY_MS - 1),
  fc.integer({ min: NOW - 45 * DAY_MS, max: NOW + DAY_MS }),
);

const profileArb = fc.record({
  traits: fc.dictionary(fc.constantFrom(...TRAIT_KEYS), anyValue, { maxKeys: 6 }),
  identifierTypes: fc.uniqueArray(fc.constantFrom(...ID_TYPES), { maxLength: 3 }),
  events: fc.array(fc.record({ event: fc.constantFrom(...EVENT_NAMES), at: eventTime, properties: fc.dictionary(fc.constantFrom(...PROPERTIES), anyValue, { maxKeys: 3 }) }), { maxLength: 8 }),
  computed: fc.tuple(fc.option(anyValue, { nil: undefined }), fc.option(anyValue, { nil: undefined })),
  segments: fc.tuple(fc.boolean(), fc.boolean()),
});

const operand = (type: ValueType): fc.Arbitrary<string | number> =>
  type === "number" ? fc.constantFrom<string | number>(...NUMBERS) : type === "date" ? fc.constantFrom<string | number>("2026-11-29", "2026-11-28", "2026-10-30", "2026-11-29T10:00:00Z", "2026-11-29T12:00:00+02:00", "2025-06-01") : fc.constantFrom<string | number>(...TEXTS.filter(Boolean));

const comparisonArb: fc.Arbitrary<Comparison> = fc.constantFrom<ValueType>("string", "number", "boolean", "date").chain((type) =>
  fc.record({
    type: fc.constant(type),
    op: fc.constantFrom(...(OPERATORS[type] as readonly string[])),
    value: operand(type),
    to: operand(type),
    values: fc.array(operand(type), { minLength: 1, maxLength: 3 }),
    days: fc.integer({ min: 1, max: 40 }),
  }),
);

const windowArb = fc.oneof(
  fc.constant({ type: "ever" as const }),
  fc.integer({ min: 1, max: 40 }).map((days) => ({ type: "last_days" as const, days })),
  fc.constantFrom(
    { type: "between" as const, from: "2026-11-01", to: "2026-11-28" },
    { type: "between" as const, from: "2026-11-29", to: "2026-11-29" },
    { type: "between" as const, from: "2026-11-20T12:00:00Z", to: "2026-11-29T15:30:00Z" },
  ),
);

const conditionArb: fc.Arbitrary<RuleCondition> = fc.oneof(
  fc.tuple(fc.constantFrom(...TRAIT_KEYS), comparisonArb).map(([key, c]) => ({ kind: "trait" as const, key, ...c })),
  fc.record({
    kind: fc.constant("event" as const),
    event: fc.constantFrom(...EVENT_NAMES),
    count: fc.record({ op: fc.constantFrom("at_least" as const, "at_most" as const, "exactly" as const), value: fc.integer({ min: 0, max: 3 }) }),
    window: windowArb,
    where: fc.oneof({ weight: 2, arbitrary: fc.constant<PropertyFilter[]>([]) }, fc.array(fc.tuple(fc.constantFrom(...PROPERTIES), comparisonArb).map(([property, c]) => ({ property, ...c })), { maxLength: 2 })),
    aggregate: fc.option(
      fc.tuple(fc.constantFrom("sum" as const, "avg" as const), fc.constantFrom(...PROPERTIES), comparisonArb.filter((c) => c.type === "number")).map(([fn, property, c]) => ({ fn, property, ...c })),
      { nil: undefined, freq: 3 },
    ),
  }),
  fc.tuple(fc.constantFrom(...COMPUTED), comparisonArb).map(([computedTraitId, c]) => ({ kind: "computed_trait" as const, computedTraitId, ...c })),
  fc.record({ kind: fc.constant("segment" as const), segmentId: fc.constantFrom(...OTHER_SEGMENTS), member: fc.boolean() }),
  fc.record({ kind: fc.constant("identifier" as const), identifierType: fc.constantFrom(...ID_TYPES), present: fc.boolean() }),
  fc.record({ kind: fc.constant("consent" as const), purpose: fc.constant("marketing"), granted: fc.boolean() }),
);

const nodeArb: fc.Arbitrary<RuleNode> = fc.letrec<{ node: RuleNode; group: RuleGroup }>((tie) => ({
  node: fc.oneof({ depthSize: "small", withCrossShrink: true }, conditionArb, tie("group")),
  group: fc.record({ kind: fc.constant("group" as const), op: fc.constantFrom("and" as const, "or" as const), negate: fc.boolean(), children: fc.array(tie("node"), { minLength: 1, maxLength: 4 }) }),
})).group as fc.Arbitrary<RuleNode>;

/** Random trees made valid: operands the schema refuses are dropped by parseSegmentRule. */
const ruleArb = nodeArb.map((n) => (n.kind === "group" ? n : { kind: "group" as const, op: "and" as const, negate: false, children: [n] })).map((n) => parseSegmentRule(n)).filter((p) => p.ok).map((p) => (p as { ok: true; rule: RuleGroup }).rule);

type Profile = typeof profileArb extends fc.Arbitrary<infer T> ? T : never;

async function insertDataset(profiles: Profile[]) {
  const { workspaceId: ws, sourceId } = await createTestSource();
  const pool = getPool();
  const ids = profiles.map(() => randomUUID());
  let message = 0;
  for (const [n, p] of profiles.entries()) {
    const id = ids[n];
    await pool.query(`INSERT INTO profiles (workspace_id, id, kind, traits, first_seen_at, last_seen_at) VALUES ($1, $2, 'user', $3, now(), now())`, [ws, id, JSON.stringify(p.traits)]);
    const anchorType = p.identifierTypes[0] ?? "anonymous_id";
    for (const type of new Set([...p.identifierTypes, anchorType])) {
      await pool.query(`INSERT INTO identities (workspace_id, type, value, profile_id, first_seen_at, last_seen_at) VALUES ($1, $2, $3, $4, now(), now())`, [ws, type, `${type}-${id}`, id]);
    }
    for (const e of p.events) {
      message += 1;
      const ts = new Date(e.at).toISOString();
      await pool.query(
        `WITH e AS (INSERT INTO events (workspace_id, source_id, batch_id, message_id, type, event, timestamp, received_at, raw)
                    VALUES ($1, $2, 0, $3, 'track', $4, $5, now(), $6) RETURNING id, timestamp, received_at)
         INSERT INTO event_identities (workspace_id, identity_id, timestamp, event_id, received_at)
         SELECT $1, (SELECT id FROM identities WHERE workspace_id = $1 AND type = $7 AND value = $8), e.timestamp, e.id, e.received_at FROM e`,
        [ws, sourceId, `m-${message}`, e.event, ts, JSON.stringify({ properties: e.properties }), anchorType, `${anchorType}-${id}`],
      );
    }
    for (const [k, value] of p.computed.entries()) {
      if (value !== undefined) await pool.query(`INSERT INTO computed_trait_values (workspace_id, computed_trait_id, profile_id, value) VALUES ($1, $2, $3, $4)`, [ws, COMPUTED[k], id, JSON.stringify(value)]);
    }
    for (const [k, member] of p.segments.entries()) {
      if (member) await pool.query(`INSERT INTO segment_memberships (workspace_id, segment_id, profile_id, entered_at) VALUES ($1, $2, $3, now())`, [ws, OTHER_SEGMENTS[k], id]);
    }
  }
  // The daily counts as the pipeline keeps them.
  await pool.query(
    `INSERT INTO profile_event_days (workspace_id, profile_id, event, day, count)
     SELECT a.workspace_id, i.profile_id, e.event, (e.timestamp AT TIME ZONE 'UTC')::date, count(*)
     FROM event_identities a JOIN identities i ON i.workspace_id = a.workspace_id AND i.id = a.identity_id
     JOIN events e ON e.workspace_id = a.workspace_id AND e.id = a.event_id AND e.received_at = a.received_at
     WHERE a.workspace_id = $1 GROUP BY 1, 2, 3, 4`,
    [ws],
  );
  const facts: ProfileFacts[] = profiles.map((p) => ({
    traits: p.traits,
    identifierTypes: new Set(p.identifierTypes.length > 0 ? p.identifierTypes : ["anonymous_id"]),
    events: p.events.map((e) => ({ event: e.event, timestamp: new Date(e.at), properties: e.properties })),
    computedTraits: Object.fromEntries(p.computed.flatMap((v, k) => (v === undefined ? [] : [[COMPUTED[k], v]]))),
    segments: new Set(OTHER_SEGMENTS.filter((_, k) => p.segments[k])),
    consents: {},
  }));
  return { ws, ids, facts };
}

describe("compileSegment agrees with the in-memory evaluator", () => {
  afterAll(async () => {
    await getPool().end();
  });

  it(`on ${DATASETS * RULES_PER_DATASET} random rule trees over ${DATASETS} random profile sets`, async () => {
    const now = new Date(NOW);
    const datasets = fc.sample(fc.array(profileArb, { minLength: PROFILES, maxLength: PROFILES }), { numRuns: DATASETS, seed: 20261129 });
    let nonTrivial = 0;
    let pairs = 0;
    let decidedPairs = 0;
    for (const [d, profiles] of datasets.entries()) {
      const { ws, ids, facts } = await insertDataset(profiles);
      await fc.assert(
        fc.asyncProperty(ruleArb, async (rule) => {
          const { sql, params } = compileSegment(rule, { workspaceId: ws, now });
          const { rows } = await getPool().query<{ profile_id: string }>(sql, params);
          const fromSql = rows.map((r) => r.profile_id).sort();
          const expected = ids.filter((_, n) => evaluateRule(rule, facts[n], now)).sort();
          if (expected.length > 0 && expected.length < ids.length) nonTrivial += 1;
          expect(fromSql, `${JSON.stringify(rule)}\n${sql}`).toEqual(expected);
          // The estimate's sample (ids below a bound) selects exactly the members below it.
          const sampled = compileSegment(rule, { workspaceId: ws, now, idsBelow: SAMPLE_BOUND });
          const fromSample = (await getPool().query<{ profile_id: string }>(sampled.sql, sampled.params)).rows.map((r) => r.profile_id).sort();
          expect(fromSample).toEqual(expected.filter((id) => id < SAMPLE_BOUND));
          // What the incremental check decides without loading events must be the full answer.
          for (const f of facts) {
            const decided = decidedWithoutEvents(rule, f, now);
            pairs += 1;
            if (decided === null) continue;
            decidedPairs += 1;
            expect(decided, JSON.stringify(rule)).toBe(evaluateRule(rule, f, now));
          }
        }),
        { numRuns: RULES_PER_DATASET, seed: 1000 + d, endOnFailure: true },
      );
    }
    // The random rules must split the profiles, not only match everyone or no one.
    expect(nonTrivial).toBeGreaterThan(DATASETS * RULES_PER_DATASET * 0.3);
    // …and many of them must be decided without events, or the check above proves little.
    expect(decidedPairs).toBeGreaterThan(pairs * 0.2);
  }, 600_000);
});
