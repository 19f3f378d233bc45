// Scores an identity resolution against the truth of a synthetic population: pairwise precision
// and recall over messages. A pair is two messages; it is true when both belong to the same person,
// predicted when both landed in the same profile, correct when both. Pairs are counted from the
// contingency table (profile × person) rather than enumerated: a group of n messages holds
// n·(n−1)/2 pairs, so the cost is linear in the number of messages.

export interface ResolutionScore {
  messages: number;
  people: number;
  /** Profiles holding the scored messages; each message missing from `assigned` counts as a profile of its own. */
  profiles: number;
  truePairs: number;
  predictedPairs: number;
  correctPairs: number;
  precision: number;
  recall: number;
  /** Profiles holding messages of more than one person. */
  falseMerges: number;
  /** People spread over more than one profile. */
  splitPeople: number;
}

const pairs = (n: number) => (n * (n - 1)) / 2;

/** Pairwise precision/recall of a resolution against the truth, over messages. */
export function scoreResolution(input: { truth: Map<string, number> /* messageId → person */; assigned: Map<string, string> /* messageId → profile id */ }): ResolutionScore {
  const { truth, assigned } = input;
  const personSizes = new Map<number, number>();
  const profileSizes = new Map<string, number>();
  const cells = new Map<string, number>();
  const profilePeople = new Map<string, Set<number>>();
  const personProfiles = new Map<number, Set<string>>();
  let singletons = 0;

  for (const [messageId, person] of truth) {
    personSizes.set(person, (personSizes.get(person) ?? 0) + 1);
    const assignedProfile = assigned.get(messageId);
    // A missing message is alone in a profile of its own; the key cannot clash with real ids.
    const profile = assignedProfile === undefined ? `\u0000missing\u0000${singletons++}` : `p:${assignedProfile}`;
    profileSizes.set(profile, (profileSizes.get(profile) ?? 0) + 1);
    const cell = `${profile}\u0000${person}`;
    cells.set(cell, (cells.get(cell) ?? 0) + 1);
    let people = profilePeople.get(profile);
    if (!people) profilePeople.set(profile, (people = new Set()));
    people.add(person);
    let profiles = personProfiles.get(person);
    if (!profiles) personProfiles.set(person, (profiles = new Set()));
    profiles.add(profile);
  }

  let truePairs = 0;
  for (const n of personSizes.values()) truePairs += pairs(n);
  let predictedPairs = 0;
  for (const n of profileSizes.values()) predictedPairs += pairs(n);
  let correctPairs = 0;
  for (const n of cells.values()) correctPairs += pairs(n);
  let falseMerges = 0;
  for (const people of profilePeople.values()) if (people.size > 1) falseMerges++;
  let splitPeople = 0;
  for (const profiles of personProfiles.values()) if (profiles.size > 1) splitPeople++;

  return {
    messages: truth.size,
    people: personSizes.size,
    profiles: profileSizes.size,
    truePairs,
    predictedPairs,
    correctPairs,
    precision: predictedPairs === 0 ? 1 : correctPairs / predictedPairs,
    recall: truePairs === 0 ? 1 : correctPairs / truePairs,
    falseMerges,
    splitPeople,
  };
}
