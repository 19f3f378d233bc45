"use client";

// What every part of the rule editor needs: the vocabulary for its pickers, the problems by path,
// tree edits, and which node should take focus next (a newly added condition).
import { createContext, useContext } from "react";
import type { RuleVocabulary } from "@/lib/segments/rule-vocabulary";
import type { DraftNode, ProblemMap } from "@/components/segments/rule-draft";

export interface BuilderContextValue {
  vocabulary: RuleVocabulary;
  problems: ProblemMap;
  /** Problems are shown once saving was tried (or the server answered with them). */
  showProblems: boolean;
  update: (uid: string, change: (n: DraftNode) => DraftNode) => void;
  remove: (uid: string) => void;
  add: (groupUid: string, child: DraftNode) => void;
  /** The node that should take focus once rendered (set when it is added). */
  focusUid: string | null;
  focused: () => void;
}

export const BuilderContext = createContext<BuilderContextValue | null>(null);

export function useBuilder(): BuilderContextValue {
  const ctx = useContext(BuilderContext);
  if (!ctx) throw new Error("useBuilder outside the segment builder");
  return ctx;
}

/** The messages for one field path, when problems are shown. */
export function useProblems(path: string): string[] | undefined {
  const { problems, showProblems } = useBuilder();
  return showProblems ? problems.get(path) : undefined;
}
