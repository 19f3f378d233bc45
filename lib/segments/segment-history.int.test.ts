// A segment's size history from segment_daily_stats against a real PostgreSQL: the last 90 UTC
// days, quiet days carrying the size forward, the size before the window, today's live size.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closePool, getPool } from "@/lib/db/pool";
import { segmentHistory } from "@/lib/segments/segment-history";
import { insertSegment, SIMPLE_RULE } from "@/lib/segments/segment-test-data";

let A: string;
let seg: string;
let otherSeg: string;
const now = new Date("2026-11-29T15:00:00Z");

async function stat(ws: string, segmentId: string, day: string, entered: number, exited: number, size: number) {
  await getPool().query(`INSERT INTO segment_daily_stats (workspace_id, segment_id, day, entered, exited, size) VALUES ($1, $2, $3, $4, $5, $6)`, [ws, segmentId, day, entered, exited, size]);
}

beforeAll(async () => {
  const { rows } = await getPool().query<{ id: string }>(`INSERT INTO workspaces (id, slug, name, created_at, updated_at) VALUES (gen_random_uuid(), $1, $1, now(), now()) RETURNING id::text`, [`hist-${randomBytes(4).toString("hex")}`]);
  A = rows[0].id;
  seg = await insertSegment(A, { name: "Buyers", rule: SIMPLE_RULE });
  otherSeg = await insertSegment(A, { name: "Other", rule: SIMPLE_RULE });
  await stat(A, seg, "2026-08-01", 40, 0, 40); // before the window
  await stat(A, seg, "2026-08-20", 2, 12, 30); // before the window, the latest such row
  await stat(A, seg, "2026-09-01", 5, 0, 35); // the window's first day (90 days to Nov 29)
  await stat(A, seg, "2026-11-27", 10, 3, 42);
  await stat(A, otherSeg, "2026-11-28", 1000, 0, 1000);
});

afterAll(() => closePool());

describe("segmentHistory", () => {
  it("gives one entry per UTC day of the last 90 days, carrying the size over quiet days", async () => {
    const days = await segmentHistory({ workspaceId: A, segmentId: seg, now });
    expect(days).toHaveLength(90);
    expect(days[0]).toEqual({ day: "2026-09-01", size: 35, entered: 5, exited: 0 });
    expect(days[1]).toEqual({ day: "2026-09-02", size: 35, entered: 0, exited: 0 });
    expect(days.at(-3)).toEqual({ day: "2026-11-27", size: 42, entered: 10, exited: 3 });
    expect(days.at(-2)).toEqual({ day: "2026-11-28", size: 42, entered: 0, exited: 0 });
    expect(days.at(-1)).toEqual({ day: "2026-11-29", size: 42, entered: 0, exited: 0 });
    expect(days.reduce((n, d) => n + d.entered, 0)).toBe(15);
  });

  it("starts from the size before the window, and has no size before the first row", async () => {
    const later = await segmentHistory({ workspaceId: A, segmentId: seg, now, days: 95 });
    expect(later[0]).toEqual({ day: "2026-08-27", size: 30, entered: 0, exited: 0 });
    const fresh = await segmentHistory({ workspaceId: A, segmentId: otherSeg, now, days: 3 });
    expect(fresh).toEqual([
      { day: "2026-11-27", size: null, entered: 0, exited: 0 },
      { day: "2026-11-28", size: 1000, entered: 1000, exited: 0 },
      { day: "2026-11-29", size: 1000, entered: 0, exited: 0 },
    ]);
  });

  it("uses the current member count for today", async () => {
    const days = await segmentHistory({ workspaceId: A, segmentId: seg, now, currentSize: 44 });
    expect(days.at(-1)).toEqual({ day: "2026-11-29", size: 44, entered: 0, exited: 0 });
  });

  it("reads only this workspace's rows", async () => {
    const days = await segmentHistory({ workspaceId: randomUUIDLike(), segmentId: seg, now, days: 5 });
    expect(days.every((d) => d.size === null && d.entered === 0)).toBe(true);
  });
});

function randomUUIDLike() {
  return "00000000-0000-4000-8000-000000000000";
}
