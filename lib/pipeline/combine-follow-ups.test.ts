import { describe, expect, it } from "vitest";
import { combineFollowUps, type FollowUpWork } from "@/lib/pipeline/pipeline-follow-ups";

function work(events: [string, string | null][], extra: Partial<FollowUpWork> = {}): FollowUpWork {
  return {
    eventIds: events.map(([id]) => id),
    messageIds: events.map(([id]) => `m-${id}`),
    names: events.map(() => "Viewed"),
    timestamps: events.map((_, i) => 1_000 + i),
    receivedAts: events.map((_, i) => 2_000 + i),
    identityIds: events.map(([id]) => `i-${id}`),
    profileIds: events.map(([, profile]) => profile),
    touched: [...new Set(events.flatMap(([, p]) => (p ? [p] : [])))],
    reshaped: [],
    merges: [],
    ...extra,
  };
}

describe("combineFollowUps", () => {
  it("returns a single follow-up as it is", () => {
    const one = work([["1", "P"]], { merges: [["Q", "P"]] });
    expect(combineFollowUps([one])).toBe(one);
  });

  it("keeps every event in order with the profile its batch resolved it to, and unites touched and reshaped profiles", () => {
    const combined = combineFollowUps([
      work([["1", "P"], ["2", null]], { reshaped: ["P"] }),
      work([["3", "Q"], ["4", "P"]], { reshaped: ["Q", "P"] }),
    ]);
    expect(combined.eventIds).toEqual(["1", "2", "3", "4"]);
    expect(combined.profileIds).toEqual(["P", null, "Q", "P"]);
    expect(combined.messageIds).toEqual(["m-1", "m-2", "m-3", "m-4"]);
    expect(combined.identityIds).toEqual(["i-1", "i-2", "i-3", "i-4"]);
    expect(combined.timestamps).toEqual([1_000, 1_001, 1_000, 1_001]);
    expect(combined.touched).toEqual(["P", "Q"]);
    expect(combined.reshaped).toEqual(["P", "Q"]);
    expect(combined.merges).toEqual([]);
  });

  it("sends each merged profile to where it ended up, through merges of later batches", () => {
    const combined = combineFollowUps([
      work([["1", "B"]], { merges: [["A", "B"]] }),
      work([["2", "C"]], { merges: [["X", "Y"]] }),
      work([["3", "D"]], { merges: [["B", "C"], ["Y", "Z"]] }),
      work([["4", "D"]], { merges: [["C", "D"]] }),
    ]);
    expect(Object.fromEntries(combined.merges)).toEqual({ A: "D", B: "D", C: "D", X: "Z", Y: "Z" });
    // No survivor is itself merged away: each fold target is live after the last batch.
    const merged = new Set(combined.merges.map(([m]) => m));
    expect(combined.merges.filter(([, root]) => merged.has(root))).toEqual([]);
  });
});
