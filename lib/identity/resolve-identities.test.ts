import { describe, expect, it } from "vitest";
import { DEFAULT_IDENTITY_SETTINGS, type IdentitySettings } from "@/lib/identity/identity-settings";
import { identityKey, resolveIdentities, type ProfileCounts, type ResolutionEvent } from "@/lib/identity/resolve-identities";

const id = (type: string, value: string) => ({ type, value });
const ev = (key: string, identifiers: ReturnType<typeof id>[], extra: Partial<ResolutionEvent> = {}): ResolutionEvent => ({ key, identifiers, previousId: null, account: null, ...extra });

function run(events: ResolutionEvent[], options: { settings?: Partial<IdentitySettings>; identities?: [ReturnType<typeof id>, string][]; profiles?: [string, ProfileCounts][]; separations?: [string, Set<string>][] } = {}) {
  let n = 0;
  return resolveIdentities({
    settings: { ...DEFAULT_IDENTITY_SETTINGS, ...options.settings },
    events,
    identities: new Map((options.identities ?? []).map(([i, p]) => [identityKey(i), p])),
    profiles: new Map(options.profiles ?? []),
    separations: new Map(options.separations ?? []),
    newProfileId: () => `p${++n}`,
  });
}

describe("resolveIdentities", () => {
  it("joins an anonymous visitor's profile when they identify", () => {
    const r = run([ev("e1", [id("anonymous_id", "a")]), ev("e2", [id("user_id", "u"), id("anonymous_id", "a")])]);
    expect(r.newProfiles).toEqual([{ id: "p1", kind: "user" }]);
    expect(r.events.get("e2")).toEqual({ profileId: "p1", anchor: id("user_id", "u"), accountProfileId: null });
    expect(r.newIdentities.map((i) => [i.identifier.value, i.ownerId])).toEqual([["a", "p1"], ["u", "p1"]]);
    expect(r.merges).toEqual([]);
  });

  it("merges two anonymous profiles linked by the same user, recording the ledger", () => {
    const r = run([
      ev("e1", [id("anonymous_id", "a")]),
      ev("e2", [id("anonymous_id", "b")]),
      ev("e3", [id("user_id", "u"), id("anonymous_id", "a")]),
      ev("e4", [id("user_id", "u"), id("anonymous_id", "b")]),
    ]);
    expect(r.merges).toEqual([{ eventKey: "e4", survivorId: "p1", mergedId: "p2", linkedBy: [id("user_id", "u"), id("anonymous_id", "b")], absorbed: ["p2"] }]);
    expect(r.root("p2")).toBe("p1");
    expect(r.events.get("e4")?.profileId).toBe("p1");
    expect(r.mergeCounts.get("p1")).toBe(1);
  });

  it("never gives a profile two user ids: the stronger identifier wins and the conflict is reported", () => {
    const r = run([ev("e1", [id("user_id", "u"), id("anonymous_id", "a")]), ev("e2", [id("user_id", "v"), id("anonymous_id", "a")])]);
    expect(r.events.get("e2")).toMatchObject({ profileId: "p2", anchor: id("user_id", "v") });
    expect(r.merges).toEqual([]);
    expect(r.conflicts).toEqual([{ eventKey: "e2", profileId: "p2", identifier: id("anonymous_id", "a"), reason: "type_limit", detail: "merging would give the profile 2 user_id identifiers; the limit is 1" }]);
  });

  it("respects limits against identities already stored", () => {
    const r = run([ev("e1", [id("email", "x@y.io"), id("user_id", "u2")])], {
      identities: [[id("user_id", "u1"), "old"], [id("email", "x@y.io"), "old"]],
      profiles: [["old", { types: { user_id: 1, email: 1 }, identifiers: 2, merges: 0 }]],
    });
    expect(r.events.get("e1")).toMatchObject({ profileId: "old", anchor: id("email", "x@y.io") });
    expect(r.conflicts.map((c) => [c.identifier.value, c.reason])).toEqual([["u2", "type_limit"]]);
  });

  it("reports the stored profiles whose counts it consulted but was not given, and only those", () => {
    const identities: [ReturnType<typeof id>, string][] = [[id("user_id", "u1"), "old"], [id("user_id", "u2"), "other"], [id("email", "x@y.io"), "quiet"]];
    // Events on known identifiers only: no counts consulted.
    expect(run([ev("e1", [id("user_id", "u1")]), ev("e2", [id("email", "x@y.io")])], { identities }).missingCounts).toEqual([]);
    // A new identifier for "old" and a merge of "old" with "other": both consulted; "quiet" not.
    const r = run([ev("e1", [id("user_id", "u1"), id("anonymous_id", "a1")]), ev("e2", [id("email", "x@y.io")]), ev("e3", [id("anonymous_id", "a1"), id("phone", "+4911")])], { identities });
    expect(r.missingCounts).toEqual(["old"]);
    expect(run([ev("e1", [id("email", "m@y.io"), id("user_id", "u1")]), ev("e2", [id("email", "m@y.io"), id("anonymous_id", "z")])], { identities, profiles: [["old", { types: { user_id: 1 }, identifiers: 1, merges: 0 }]] }).missingCounts).toEqual([]);
    const merged = run([ev("e1", [id("email", "m@y.io"), id("user_id", "u1")]), ev("e2", [id("email", "m@y.io"), id("user_id", "u2")])], { identities, settings: { limits: {} } });
    expect(merged.missingCounts.sort()).toEqual(["old", "other"]);
  });

  it("stops merging at the merge cap (a merge storm through one email)", () => {
    const anons = Array.from({ length: 6 }, (_, i) => ev(`a${i}`, [id("anonymous_id", `anon-${i}`)]));
    const links = Array.from({ length: 6 }, (_, i) => ev(`l${i}`, [id("email", "test@example.com"), id("anonymous_id", `anon-${i}`)]));
    const r = run([...anons, ...links], { settings: { maxMergesPerProfile: 3 } });
    expect(r.merges).toHaveLength(3);
    expect(r.conflicts.map((c) => c.reason)).toEqual(["merge_cap", "merge_cap"]);
    // The email is stronger than the anonymous ids: every linking event belongs to its profile.
    expect(new Set(links.map((l) => r.events.get(l.key)?.profileId))).toEqual(new Set(["p1"]));
    expect([r.root("p5"), r.root("p6")]).toEqual(["p5", "p6"]);
  });

  it("counts everything merged into a profile when it is merged in turn", () => {
    const r = run([
      ev("e1", [id("anonymous_id", "a")]),
      ev("e2", [id("anonymous_id", "b")]),
      ev("e3", [id("anonymous_id", "c")]),
      ev("e4", [id("email", "m@x.io"), id("anonymous_id", "b")]),
      ev("e5", [id("email", "m@x.io"), id("anonymous_id", "c")]),
      ev("e6", [id("user_id", "u"), id("anonymous_id", "a")]),
      ev("e7", [id("user_id", "u"), id("email", "m@x.io")]),
    ]);
    expect(r.merges.map((m) => [m.survivorId, m.mergedId, m.absorbed])).toEqual([["p2", "p3", ["p3"]], ["p1", "p2", ["p2", "p3"]]]);
    expect(r.root("p3")).toBe("p1");
    expect(r.mergeCounts.get("p1")).toBe(2);
  });

  it("links an alias's previous id to the user", () => {
    const r = run([ev("e1", [id("anonymous_id", "old-anon")]), ev("e2", [id("user_id", "u")], { previousId: "old-anon" })]);
    expect(r.events.get("e2")).toMatchObject({ profileId: "p1", anchor: id("user_id", "u") });
    expect(r.newIdentities.map((i) => i.identifier.value)).toEqual(["old-anon", "u"]);
  });

  it("creates one account per group id and reports it with the user's profile", () => {
    const account = id("group_id", "acme");
    const r = run([ev("e1", [id("user_id", "u")], { account }), ev("e2", [id("user_id", "v")], { account })]);
    expect(r.newProfiles).toEqual([{ id: "p1", kind: "account" }, { id: "p2", kind: "user" }, { id: "p3", kind: "user" }]);
    expect(r.events.get("e1")).toMatchObject({ profileId: "p2", accountProfileId: "p1" });
    expect(r.events.get("e2")).toMatchObject({ profileId: "p3", accountProfileId: "p1" });
  });

  it("leaves events without usable identifiers unresolved", () => {
    expect(run([ev("e1", [])]).events.get("e1")).toBeNull();
  });
});

describe("resolveIdentities after an unmerge", () => {
  it("does not merge profiles an admin split apart, also after one of them merged with another", () => {
    const r = run(
      [
        ev("e1", [id("user_id", "u"), id("anonymous_id", "b")]),
        ev("e2", [id("email", "m@x.io"), id("anonymous_id", "b")]),
        ev("e3", [id("email", "m@x.io"), id("anonymous_id", "q")]),
        ev("e4", [id("user_id", "u"), id("anonymous_id", "q")]),
      ],
      {
        identities: [[id("user_id", "u"), "P"], [id("anonymous_id", "b"), "Q"], [id("anonymous_id", "q"), "Q2"]],
        profiles: [["P", { types: { user_id: 1 }, identifiers: 1, merges: 0 }], ["Q", { types: { anonymous_id: 1 }, identifiers: 1, merges: 0 }], ["Q2", { types: { anonymous_id: 1 }, identifiers: 1, merges: 0 }]],
        separations: [["P", new Set(["Q"])], ["Q", new Set(["P"])]],
      },
    );
    expect(r.conflicts.map((c) => [c.eventKey, c.reason, c.identifier.value])).toEqual([["e1", "unmerged", "b"], ["e4", "unmerged", "q"]]);
    expect(r.merges.map((m) => [m.survivorId, m.mergedId])).toEqual([["Q", "Q2"]]);
    expect([r.events.get("e1")?.profileId, r.events.get("e4")?.profileId, r.root("Q2")]).toEqual(["P", "P", "Q"]);
  });
});

describe("resolveIdentities with shared identifiers", () => {
  it("never joins two people through a family device, but uses the device when nothing else is known", () => {
    const device = id("device_id", "tablet-1");
    const r = run([
      ev("x1", [id("user_id", "x"), device, id("anonymous_id", "ax")]),
      ev("y1", [device, id("anonymous_id", "ay")]),
      ev("y2", [id("user_id", "y"), device, id("anonymous_id", "ay")]),
      ev("d1", [device]),
    ]);
    expect(r.events.get("y1")).toMatchObject({ profileId: "p2", anchor: id("anonymous_id", "ay") });
    expect(r.events.get("y2")).toMatchObject({ profileId: "p2", anchor: id("user_id", "y") });
    expect(r.events.get("d1")).toMatchObject({ profileId: "p1", anchor: device });
    expect(r.merges).toEqual([]);
    expect(r.conflicts).toEqual([]);
  });
});
