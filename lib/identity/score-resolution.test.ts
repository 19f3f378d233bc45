import { describe, expect, it } from "vitest";
import { scoreResolution } from "@/lib/identity/score-resolution";

// Truth: person 0 owns m1–m3, person 1 owns m4–m5, person 2 owns m6.
const truth = new Map<string, number>([
  ["m1", 0],
  ["m2", 0],
  ["m3", 0],
  ["m4", 1],
  ["m5", 1],
  ["m6", 2],
]);
const score = (assigned: Record<string, string>) => scoreResolution({ truth, assigned: new Map(Object.entries(assigned)) });

describe("scoreResolution", () => {
  it("scores a perfect resolution 1/1", () => {
    expect(score({ m1: "a", m2: "a", m3: "a", m4: "b", m5: "b", m6: "c" })).toEqual({
      messages: 6,
      people: 3,
      profiles: 3,
      truePairs: 4, // 3 + 1 + 0
      predictedPairs: 4,
      correctPairs: 4,
      precision: 1,
      recall: 1,
      falseMerges: 0,
      splitPeople: 0,
    });
  });

  it("counts a false merge against precision only", () => {
    // Persons 1 and 2 in one profile: predicted pairs 3 + 3, correct 3 + 1.
    const s = score({ m1: "a", m2: "a", m3: "a", m4: "b", m5: "b", m6: "b" });
    expect(s).toMatchObject({ profiles: 2, truePairs: 4, predictedPairs: 6, correctPairs: 4, recall: 1, falseMerges: 1, splitPeople: 0 });
    expect(s.precision).toBeCloseTo(4 / 6);
  });

  it("counts a split against recall only", () => {
    // Person 0 over two profiles: only the m1–m2 pair survives of its three.
    const s = score({ m1: "a", m2: "a", m3: "x", m4: "b", m5: "b", m6: "c" });
    expect(s).toMatchObject({ profiles: 4, truePairs: 4, predictedPairs: 2, correctPairs: 2, precision: 1, recall: 0.5, falseMerges: 0, splitPeople: 1 });
  });

  it("treats messages missing from the assignment as singletons", () => {
    const s = score({ m1: "a", m2: "a", m4: "b" });
    // Profiles: a {m1,m2}, b {m4}, and singletons m3, m5, m6.
    expect(s).toMatchObject({ messages: 6, profiles: 5, predictedPairs: 1, correctPairs: 1, precision: 1, recall: 0.25, falseMerges: 0, splitPeople: 2 });
  });

  it("ignores assigned messages that are not in the truth", () => {
    expect(score({ m1: "a", m2: "a", m3: "a", m4: "b", m5: "b", m6: "c", extra: "a" })).toMatchObject({ messages: 6, predictedPairs: 4, precision: 1, recall: 1 });
  });

  it("is 1/1 when there are no pairs at all", () => {
    expect(scoreResolution({ truth: new Map(), assigned: new Map() })).toMatchObject({ messages: 0, people: 0, profiles: 0, precision: 1, recall: 1 });
    expect(scoreResolution({ truth: new Map([["m1", 0]]), assigned: new Map() })).toMatchObject({ profiles: 1, precision: 1, recall: 1 });
  });

  it("gives 0 precision when three one-message people share a profile", () => {
    const s = scoreResolution({ truth: new Map([["a", 0], ["b", 1], ["c", 2]]), assigned: new Map([["a", "p"], ["b", "p"], ["c", "p"]]) });
    expect(s).toMatchObject({ truePairs: 0, predictedPairs: 3, correctPairs: 0, precision: 0, recall: 1, falseMerges: 1 });
  });
});
