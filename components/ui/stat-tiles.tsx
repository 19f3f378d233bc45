import type { ReactNode } from "react";

export interface StatTile {
  label: string;
  value: ReactNode;
  /** Shown under the value, e.g. what the number means. */
  hint?: ReactNode;
  alert?: boolean;
}

/** A row of labelled figures (the tiles on top of overview pages). */
export function StatTiles({ tiles }: { tiles: StatTile[] }) {
  return (
    <dl className={`grid gap-4 ${tiles.length === 4 ? "sm:grid-cols-2 lg:grid-cols-4" : "sm:grid-cols-3"}`}>
      {tiles.map((t) => (
        <div key={t.label} className="rounded-xl border border-neutral-200 bg-white p-4">
          <dt className="text-sm text-neutral-500">{t.label}</dt>
          <dd className={`mt-1 text-2xl font-semibold tabular-nums ${t.alert ? "text-red-600" : ""}`}>{t.value}</dd>
          {t.hint ? <dd className="mt-1 text-xs text-neutral-500">{t.hint}</dd> : null}
        </div>
      ))}
    </dl>
  );
}
