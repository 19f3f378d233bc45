import { getPool } from "@/lib/db/pool";
import { getMigrationStatus, readMigrations, type MigrationFile } from "@/lib/db/migrate";

export interface HealthReport {
  status: "ok" | "unavailable";
  database: { status: "up" | "down"; latencyMs?: number; error?: string };
  migrations: { status: "current" | "pending" | "unknown"; applied?: number; pending?: string[] };
}

let files: MigrationFile[] | undefined;

/** Database reachable (with a short timeout) and every migration on disk applied. */
export async function checkHealth(): Promise<HealthReport> {
  files ??= readMigrations();
  const started = Date.now();
  try {
    const client = await getPool().connect();
    try {
      await client.query("SET statement_timeout = 2000");
      await client.query("SELECT 1");
      const latencyMs = Date.now() - started;
      const status = await getMigrationStatus(client, files);
      const current = status.pending.length === 0 && status.failed.length === 0;
      return {
        status: current ? "ok" : "unavailable",
        database: { status: "up", latencyMs },
        migrations: { status: current ? "current" : "pending", applied: status.applied.length, pending: status.pending },
      };
    } finally {
      client.release();
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return {
      status: "unavailable",
      database: { status: "down", error: code ? `connection failed (${code})` : "connection failed or timed out" },
      migrations: { status: "unknown" },
    };
  }
}
