import pg from "pg";

/** Fails fast, naming the host and what to check, when DATABASE_URL cannot be reached. */
export async function assertDatabaseReachable(url: string, timeoutMs = 5000): Promise<void> {
  const u = new URL(url);
  const where = `${u.hostname}:${u.port || 5432}`;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { code?: string };
    const reason = e.code === "ECONNREFUSED"
      ? "connection refused: is PostgreSQL running and listening on that port?"
      : e.code === "ENOTFOUND" || e.code === "EAI_AGAIN"
        ? "host name not found: check the host in DATABASE_URL"
        : e.code === "28P01" || e.code === "28000"
          ? `authentication failed for user "${decodeURIComponent(u.username)}": check the user and password in DATABASE_URL`
          : e.code === "3D000"
            ? `database "${u.pathname.slice(1)}" does not exist: create it (createdb) or fix the name in DATABASE_URL`
            : /timeout/i.test(e.message)
              ? `no answer within ${timeoutMs / 1000}s: check the host, port, firewall and network`
              : e.message;
    throw new Error(`Cannot connect to PostgreSQL at ${where} (${reason}).`);
  } finally {
    await client.end().catch(() => {});
  }
}
