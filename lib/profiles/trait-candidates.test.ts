import { describe, expect, it } from "vitest";
import { addCandidate, canonicalJson, countOf, firstAt, capCandidates, MAX_CANDIDATES_PER_TRAIT, mergeCandidates, survivingTraits, type TraitCandidate, type TraitCandidates } from "@/lib/profiles/trait-candidates";

const t = (day: number) => new Date(Date.UTC(2026, 0, day)).toISOString();
const obs = (v: unknown, day: number, s = "src-a", m = `m${day}`): TraitCandidate => ({ v, l: t(day), s, m });
const rules = (traitRules: Record<string, "most_recent" | "first" | "source_priority" | "most_frequent"> = {}, sourcePriority: string[] = []) => ({ traitRules, sourcePriority });

describe("trait candidates", () => {
  it("counts repeated values once per value, whatever the key order of objects", () => {
    const doc: TraitCandidates = {};
    addCandidate(doc, "address", obs({ city: "Lyon", zip: "69001" }, 1));
    addCandidate(doc, "address", obs({ zip: "69001", city: "Lyon" }, 3, "src-b", "m3"));
    expect(doc.address).toEqual([{ v: { city: "Lyon", zip: "69001" }, n: 2, f: t(1), l: t(3), fs: "src-a", s: "src-b", m: "m3" }]);
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: null }] })).toBe('{"a":[{"c":null,"d":2}],"b":1}');
  });

  it("keeps first and last lineage when observations arrive out of order", () => {
    const doc: TraitCandidates = {};
    addCandidate(doc, "plan", obs("pro", 5, "late"));
    addCandidate(doc, "plan", obs("pro", 2, "early"));
    expect(doc.plan[0]).toEqual({ v: "pro", n: 2, f: t(2), fs: "early", l: t(5), s: "late", m: "m5" });
  });

  it("picks the survivor by each rule", () => {
    const doc: TraitCandidates = {};
    for (const [v, day, s] of [["a", 1, "crm"], ["b", 2, "web"], ["b", 3, "web"], ["c", 4, "pos"]] as const) {
      for (const key of ["recent", "first", "frequent", "priority"]) addCandidate(doc, key, obs(v, day, s));
    }
    const { traits } = survivingTraits(doc, rules({ first: "first", frequent: "most_frequent", priority: "source_priority" }, ["crm", "web"]));
    expect(traits).toEqual({ first: "a", frequent: "b", priority: "a", recent: "c" });
  });

  it("names the profile from name, else first and last name", () => {
    const doc: TraitCandidates = {};
    addCandidate(doc, "first_name", obs("Ann", 1));
    addCandidate(doc, "last_name", obs("Smith", 1));
    expect(survivingTraits(doc, rules())).toMatchObject({ displayName: "Ann Smith", searchName: "ann smith", searchNameLastFirst: "smith ann" });
    addCandidate(doc, "name", obs("Ann  Marie   Smith-Jones ", 2));
    expect(survivingTraits(doc, rules())).toMatchObject({ displayName: "Ann  Marie   Smith-Jones", searchNameLastFirst: "smith-jones ann marie" });
    addCandidate(doc, "name", obs("Cher", 3));
    expect(survivingTraits(doc, rules())).toMatchObject({ searchName: "cher", searchNameLastFirst: null });
    addCandidate(doc, "name", obs("  ", 4));
    expect(survivingTraits(doc, rules()).displayName).toBeNull();
  });

  it("folds a merged profile's candidates into the survivor's", () => {
    const a: TraitCandidates = { plan: [obs("free", 1)] };
    const b: TraitCandidates = { plan: [{ ...obs("free", 4), n: 3 }, obs("pro", 2)], city: [obs("Graz", 2)] };
    mergeCandidates(a, b);
    expect(a.plan.map((c) => [c.v, countOf(c), firstAt(c)])).toEqual([["free", 4, t(1)], ["pro", 1, t(2)]]);
    expect(a.city).toHaveLength(1);
  });

  it("caps the values kept per trait without losing any rule's survivor", () => {
    const doc: TraitCandidates = {};
    addCandidate(doc, "page", { ...obs("home", 1, "crm"), n: 500 });
    for (let day = 2; day < 60; day++) addCandidate(doc, "page", obs(`p${day}`, day, "web"));
    const settings = rules({}, ["crm"]);
    capCandidates(doc, settings);
    expect(doc.page).toHaveLength(MAX_CANDIDATES_PER_TRAIT);
    const kept = doc.page.map((c) => c.v);
    expect(kept).toContain("home"); // first, most frequent and the priority source's value
    expect(kept).toContain("p59"); // most recent
    expect(kept).not.toContain("p2");
  });
});
