// BENCH_PROFILE=1: where a benchmark's database time goes. Wraps node-pg's Client#query and sums
// the wall time of each statement kind (its first words), so "measure before you optimise" is one
// environment variable away. Time outside queries is the Node side (parsing, resolution in JS).
import pg from "pg";
import { printTable } from "./bench-report";

const totals = new Map<string, { ms: number; calls: number }>();

export function profileQueries(): { report: (wallMs: number) => void } {
  const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const first = args[0];
    const text = typeof first === "string" ? first : ((first as { text?: string })?.text ?? "?");
    const label = text.replace(/\s+/g, " ").trim().slice(0, 90);
    const started = performance.now();
    const done = () => {
      const t = totals.get(label) ?? { ms: 0, calls: 0 };
      t.ms += performance.now() - started;
      t.calls += 1;
      totals.set(label, t);
    };
    const result = original.apply(this, args);
    if (result && typeof (result as Promise<unknown>).then === "function") (result as Promise<unknown>).then(done, done);
    return result;
  } as typeof pg.Client.prototype.query;
  return {
    report(wallMs: number) {
      const rows = [...totals.entries()].sort((a, b) => b[1].ms - a[1].ms);
      const inQueries = rows.reduce((s, [, t]) => s + t.ms, 0);
      printTable(
        ["share", "ms", "calls", "statement"],
        [
          ...rows.filter(([, t]) => t.ms >= wallMs / 500).map(([label, t]) => [`${((100 * t.ms) / wallMs).toFixed(1)} %`, t.ms.toFixed(0), String(t.calls), label]),
          [`${((100 * (wallMs - inQueries)) / wallMs).toFixed(1)} %`, (wallMs - inQueries).toFixed(0), "", "(outside queries: Node)"],
        ],
      );
    },
  };
}
