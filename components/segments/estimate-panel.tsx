"use client";

// The live size estimate next to the builder: asked for (debounced) whenever the rule is valid,
// with the share of all profiles, a sample of matching people and, optionally, the overlap with
// another segment. Answers to outdated rules are dropped.
import { useEffect, useRef, useState } from "react";
import Link from "next/link";
import { CircleAlert, Users } from "lucide-react";
import { NativeSelect } from "@/components/ui/select";
import { Spinner } from "@/components/ui/spinner";
import type { ActionResult } from "@/lib/auth/authorized-action";
import type { RuleGroup } from "@/lib/segments/segment-rule";

export interface SegmentEstimate {
  count: number;
  total: number;
  sample: { id: string; displayName: string | null; lastSeenAt: Date | string }[];
  overlap: { segmentId: string; name: string; segmentSize: number; both: number } | null;
  approximate: { sampled: number; margin: number } | null;
  tookMs: number;
}

export type EstimateAction = (slug: string, input: { rule: unknown; overlapSegmentId?: string }) => Promise<ActionResult<SegmentEstimate>>;

const DEBOUNCE_MS = 400;
const n = (v: number) => v.toLocaleString("en");
const share = (part: number, whole: number) => (whole === 0 ? "0%" : part / whole < 0.001 && part > 0 ? "<0.1%" : `${((part / whole) * 100).toFixed(part / whole < 0.1 ? 1 : 0)}%`);

export function EstimatePanel({
  slug,
  rule,
  problemCount,
  estimate: estimateAction,
  segments,
  excludeSegmentId,
}: {
  slug: string;
  /** The valid rule, or null while it has problems. */
  rule: RuleGroup | null;
  problemCount: number;
  estimate: EstimateAction;
  segments: { id: string; name: string }[];
  /** The segment being edited (no overlap with itself). */
  excludeSegmentId?: string;
}) {
  const [overlapId, setOverlapId] = useState("");
  const [result, setResult] = useState<SegmentEstimate | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);
  const key = rule ? JSON.stringify(rule) : null;

  useEffect(() => {
    if (key === null) return;
    const mine = ++seq.current;
    const timer = setTimeout(async () => {
      setLoading(true);
      try {
        const res = await estimateAction(slug, { rule: JSON.parse(key), overlapSegmentId: overlapId || undefined });
        if (mine !== seq.current) return;
        if (res.ok) {
          setResult(res.data);
          setError(null);
        } else setError(res.error.message);
      } catch {
        if (mine === seq.current) setError("The estimate could not be loaded. Check your connection.");
      } finally {
        if (mine === seq.current) setLoading(false);
      }
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [key, overlapId, slug, estimateAction]);

  const choices = segments.filter((s) => s.id !== excludeSegmentId);
  return (
    <section aria-labelledby="estimate-title" className="rounded-xl border border-neutral-200 bg-white p-4 shadow-xs" data-testid="estimate">
      <div className="flex items-center justify-between gap-2">
        <h2 id="estimate-title" className="text-sm font-semibold text-neutral-900">Estimated size</h2>
        {loading && <Spinner label="Estimating…" className="text-indigo-600" />}
      </div>
      {rule === null ? (
        <div className="mt-3 flex gap-2 text-sm text-neutral-600" data-testid="estimate-invalid">
          <CircleAlert aria-hidden className="mt-0.5 size-4 shrink-0 text-amber-600" />
          <p>
            Fix the rule to see an estimate.
            {problemCount > 0 && <span className="block text-xs text-neutral-500">{problemCount === 1 ? "1 field needs attention." : `${problemCount} fields need attention.`}</span>}
          </p>
        </div>
      ) : result === null ? (
        <p className="mt-3 text-sm text-neutral-500">{error ?? "Estimating…"}</p>
      ) : (
        <div aria-live="polite" className={loading ? "opacity-60 transition-opacity" : undefined}>
          <p className="mt-2 flex items-baseline gap-2">
            <span className="text-3xl font-semibold tabular-nums text-neutral-900" data-testid="estimate-count">{result.approximate ? "≈ " : ""}{n(result.count)}</span>
            <span className="text-sm text-neutral-600">{result.count === 1 ? "person" : "people"}</span>
          </p>
          <p className="text-sm text-neutral-600">
            <span className="font-medium text-neutral-900" data-testid="estimate-share">{share(result.count, result.total)}</span> of {n(result.total)} profiles
          </p>
          <div className="mt-2 h-2 overflow-hidden rounded-full bg-neutral-100" aria-hidden>
            <div className="h-full rounded-full bg-indigo-500" style={{ width: `${result.total ? Math.max(result.count > 0 ? 1 : 0, (result.count / result.total) * 100) : 0}%` }} />
          </div>
          {error && <p className="mt-2 text-xs text-red-600">{error}</p>}
          <h3 className="mt-4 text-xs font-medium uppercase tracking-wide text-neutral-500">Some of them</h3>
          {result.sample.length === 0 ? (
            <p className="mt-1 flex items-center gap-1.5 text-sm text-neutral-500">
              <Users aria-hidden className="size-4" /> Nobody matches yet.
            </p>
          ) : (
            <ul className="mt-1 space-y-1 text-sm" data-testid="estimate-sample">
              {result.sample.map((p) => (
                <li key={p.id} className="truncate">
                  <Link href={`/${slug}/profiles/${p.id}`} className="text-indigo-700 hover:underline">{p.displayName ?? "Unnamed profile"}</Link>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div className="mt-4 border-t border-neutral-100 pt-3">
        <label htmlFor="overlap-segment" className="text-xs font-medium uppercase tracking-wide text-neutral-500">Overlap with</label>
        <NativeSelect id="overlap-segment" value={overlapId} onChange={(e) => setOverlapId(e.target.value)} className="mt-1" disabled={choices.length === 0}>
          <option value="">{choices.length ? "Pick a segment" : "No other segments yet"}</option>
          {choices.map((s) => (
            <option key={s.id} value={s.id}>{s.name}</option>
          ))}
        </NativeSelect>
        {rule !== null && result?.overlap && overlapId === result.overlap.segmentId && (
          <p className="mt-2 text-sm text-neutral-700" data-testid="estimate-overlap">
            <span className="font-semibold tabular-nums">{n(result.overlap.both)}</span> are also in {result.overlap.name} ({share(result.overlap.both, result.overlap.segmentSize)} of its {n(result.overlap.segmentSize)}).
          </p>
        )}
      </div>
      {result && (
        <p className="mt-3 text-[11px] text-neutral-400">
          {result.approximate
            ? `Estimated from a random sample of ${n(result.approximate.sampled)} profiles (± ${n(result.approximate.margin)}) in ${n(Math.round(result.tookMs))} ms; saving counts everyone.`
            : `Counted in ${n(Math.round(result.tookMs))} ms.`}
        </p>
      )}
    </section>
  );
}
