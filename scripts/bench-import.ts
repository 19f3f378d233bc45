// npm run bench:import — a 1,000,000-row CSV through the import path (upload, analysis, mapping,
// background run) on a throw-away embedded PostgreSQL; prints time and peak memory.
// BENCH_ROWS overrides the row count.
import { applyMigrations } from "../lib/db/migrate";
import { closePool } from "../lib/db/pool";
import { env } from "../lib/env";
import { benchCsvImport } from "../lib/imports/bench-import";
import { machineLine, printTable } from "./lib/bench-report";

const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
await applyMigrations({ connectionString: env().DATABASE_URL! });
const r = await benchCsvImport({ rows, log: (line) => console.log(line) });
console.log(`\n${machineLine()}\n`);
printTable(Object.keys(r), [Object.values(r).map((v) => (typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toFixed(1)) : String(v)))]);
await closePool();
