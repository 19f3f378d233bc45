"use client";

import { useEffect, useState } from "react";
import { Download } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { cancelImportAction } from "@/app/(dashboard)/[workspace]/sources/[sourceId]/import/actions";
import type { ImportProgress } from "@/lib/imports/import-progress";

/** ImportProgress as it arrives over JSON: dates become ISO strings. */
export type Progress = { [K in keyof ImportProgress]: ImportProgress[K] extends Date ? string : ImportProgress[K] extends Date | null ? string | null : ImportProgress[K] };
type ErrorSummary = { column: string; reason: string; rows: number }[];

const active = (p: Progress) => p.status === "queued" || p.status === "running";

function duration(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  const m = Math.floor(seconds / 60);
  return m < 60 ? `${m} min ${Math.round(seconds % 60)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

function ImportRow({ slug, initial }: { slug: string; initial: Progress }) {
  const [p, setP] = useState(initial);
  const [errors, setErrors] = useState<ErrorSummary>([]);
  useEffect(() => {
    let stop = false;
    const load = async () => {
      const res = await fetch(`/api/workspaces/${slug}/imports/${p.importId}`, { cache: "no-store" }).catch(() => null);
      if (!res?.ok || stop) return;
      const body = (await res.json()) as { progress: Progress; errors: ErrorSummary };
      setP(body.progress);
      setErrors(body.errors);
    };
    void load();
    if (!active(p)) return;
    const timer = setInterval(load, 1000);
    return () => {
      stop = true;
      clearInterval(timer);
    };
    // Re-subscribe only when the import becomes (in)active.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [slug, p.importId, active(p)]);

  const percent = p.percent ?? 0;
  const variant = p.status === "completed" ? "success" : p.status === "failed" ? "destructive" : p.status === "cancelled" ? "secondary" : "default";
  return (
    <li className="space-y-2 py-4" data-testid={`import-${p.importId}`}>
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium">{p.fileName}</span>
        <Badge variant={variant}>{p.status === "running" && p.stalled ? "resuming" : p.status}</Badge>
        <span className="text-sm text-neutral-500">{p.mode === "track" ? "events" : "profiles"}</span>
        {active(p) && (
          <Button variant="ghost" size="sm" className="ml-auto text-red-600" onClick={() => void cancelImportAction(slug, { importId: p.importId })}>Cancel</Button>
        )}
      </div>
      <div
        role="progressbar"
        aria-label={`Import of ${p.fileName}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(percent)}
        className="h-2 overflow-hidden rounded-full bg-neutral-100"
      >
        <div className={`h-full transition-[width] ${p.status === "failed" ? "bg-red-500" : "bg-indigo-600"}`} style={{ width: `${percent}%` }} />
      </div>
      <p className="text-sm tabular-nums text-neutral-600" data-testid="import-counts">
        {p.rowsDone.toLocaleString("en")} / {p.totalRows?.toLocaleString("en") ?? "?"} rows ({Math.floor(percent)} %) · {p.rowsImported.toLocaleString("en")} imported ·{" "}
        <span className={p.rowsFailed ? "text-red-600" : undefined}>{p.rowsFailed.toLocaleString("en")} with errors</span>
        {p.rowsPerSecond ? ` · ${Math.round(p.rowsPerSecond).toLocaleString("en")} rows/s` : ""}
        {active(p) && p.etaSeconds !== null ? ` · about ${duration(p.etaSeconds)} left` : ""}
      </p>
      {p.error && <p className="text-sm text-red-600">{p.error}</p>}
      {p.rowsFailed > 0 && (
        <div className="rounded-lg border border-red-100 bg-red-50/50 p-3 text-sm">
          <ul className="space-y-0.5" data-testid="import-error-summary">
            {errors.map((e) => (
              <li key={`${e.column}|${e.reason}`}><span className="font-medium">{e.column || "row"}</span>: {e.reason} ({e.rows.toLocaleString("en")} {e.rows === 1 ? "row" : "rows"})</li>
            ))}
          </ul>
          <a href={`/api/workspaces/${slug}/imports/${p.importId}/errors`} className="mt-2 inline-flex items-center gap-1 font-medium text-indigo-700 hover:underline" download>
            <Download aria-hidden className="size-4" /> Download rows with errors (CSV)
          </a>
        </div>
      )}
    </li>
  );
}

export function ImportList({ slug, imports }: { slug: string; imports: Progress[] }) {
  if (imports.length === 0) return null;
  return (
    <Card>
      <CardHeader><CardTitle as="h3">Imports</CardTitle></CardHeader>
      <CardContent>
        <ul className="divide-y divide-neutral-100">
          {imports.map((p) => <ImportRow key={p.importId} slug={slug} initial={p} />)}
        </ul>
      </CardContent>
    </Card>
  );
}
