// End-to-end CSV import benchmark: writes a CSV of `rows` customers (8 columns, a few bad rows),
// then upload → analyse → map → run in this process, timing each step and sampling the RSS.
// Needs a migrated database behind getPool(); the npm script around it provides one.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { db } from "@/lib/db/prisma";
import { createImport } from "@/lib/imports/create-import";
import { claimImport, runImport } from "@/lib/imports/run-import";
import { startImport } from "@/lib/imports/start-import";
import { createSource } from "@/lib/sources/create-source";

export interface CsvImportBenchResult {
  rows: number;
  megabytes: number;
  uploadAndAnalyzeSeconds: number;
  importSeconds: number;
  totalSeconds: number;
  rowsPerSecond: number;
  rowsImported: number;
  rowsFailed: number;
  peakRssMb: number;
  /** RSS before the upload started (the process's own baseline). */
  baselineRssMb: number;
}

async function writeCsv(file: string, rows: number) {
  const out = fs.createWriteStream(file);
  out.write("customer_id,email,phone,first_name,city,lifetime_value,vip,signed_up\n");
  const cities = ["Zürich", "Berlin", "Lyon", "Graz", "Bergen", "Porto", "Kraków", "Gent"];
  let buf = "";
  for (let n = 1; n <= rows; n++) {
    const email = n % 10_000 === 5 ? `broken-${n}` : `customer${n}@example.com`;
    buf += `c-${n},${email},+41 79 ${String(1_000_000 + n).slice(-7)},"Name ${n}, Jr.",${cities[n % 8]},${(n % 997) + 0.5},${n % 2 ? "true" : "false"},2023-0${(n % 9) + 1}-1${n % 10}\n`;
    if (buf.length > 1 << 20 || n === rows) {
      if (!out.write(buf)) await once(out, "drain");
      buf = "";
    }
  }
  out.end();
  await once(out, "finish");
}

export async function benchCsvImport(options: { rows: number; directory?: string; log?: (line: string) => void }): Promise<CsvImportBenchResult> {
  const dir = options.directory ?? fs.mkdtempSync(path.join(os.tmpdir(), "tessera-bench-import-"));
  const file = path.join(dir, "customers.csv");
  await writeCsv(file, options.rows);
  const megabytes = fs.statSync(file).size / 1024 / 1024;

  const id = randomBytes(4).toString("hex");
  const workspace = await db().workspace.create({ data: { slug: `bench-import-${id}`, name: `Bench import ${id}` } });
  const source = await createSource({ workspaceId: workspace.id, name: "Bench CSV", kind: "file" });

  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 100);
  try {
    const started = performance.now();
    const created = await createImport({ workspaceId: workspace.id, sourceId: source.id, fileName: "customers.csv", body: fs.createReadStream(file), directory: dir });
    const analyzed = performance.now();
    options.log?.(`uploaded and analysed ${created.analysis.totalRows} rows in ${((analyzed - started) / 1000).toFixed(1)} s`);
    await startImport({
      workspaceId: workspace.id,
      importId: created.importId,
      mapping: {
        mode: "identify",
        columns: {
          customer_id: { as: "user_id" },
          email: { as: "email" },
          phone: { as: "phone" },
          first_name: { as: "trait", trait: "first_name" },
          city: { as: "trait", trait: "city" },
          lifetime_value: { as: "trait", trait: "lifetime_value", type: "number" },
          vip: { as: "trait", trait: "vip", type: "boolean" },
          signed_up: { as: "trait", trait: "signed_up", type: "date" },
        },
      },
    });
    const claim = await claimImport({ workspaceId: workspace.id, importId: created.importId });
    if (!claim) throw new Error("could not claim the benchmark import");
    const result = await runImport({ claim });
    const finished = performance.now();
    if (result.outcome !== "completed") throw new Error(`benchmark import ended ${result.outcome}`);
    const job = await db().importJob.findFirstOrThrow({ where: { workspaceId: workspace.id, id: created.importId }, select: { rowsImported: true, rowsFailed: true } });
    const importSeconds = (finished - analyzed) / 1000;
    return {
      rows: options.rows,
      megabytes: Math.round(megabytes * 10) / 10,
      uploadAndAnalyzeSeconds: Math.round((analyzed - started) / 100) / 10,
      importSeconds: Math.round(importSeconds * 10) / 10,
      totalSeconds: Math.round((finished - started) / 100) / 10,
      rowsPerSecond: Math.round(options.rows / importSeconds),
      rowsImported: job.rowsImported,
      rowsFailed: job.rowsFailed,
      peakRssMb: Math.round(peak / 1024 / 1024),
      baselineRssMb: Math.round(baseline / 1024 / 1024),
    };
  } finally {
    clearInterval(sampler);
    if (!options.directory) fs.rmSync(dir, { recursive: true, force: true });
  }
}
