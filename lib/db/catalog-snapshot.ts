// A comparable description of a database schema (tables, columns, constraints, indexes, enums),
// used by the drift test to compare "migrations applied" with "schema.prisma applied".
import pg from "pg";

export async function catalogSnapshot(url: string): Promise<string[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const q = async (sql: string) => (await c.query(sql)).rows.map((r) => Object.values(r).join(" | "));
    const columns = await q(`
      SELECT 'column', table_name, column_name, udt_name, is_nullable, coalesce(column_default, ''),
             coalesce(character_maximum_length::text, ''), coalesce(datetime_precision::text, '')
      FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`);
    const constraints = await q(`
      SELECT 'constraint', cl.relname, con.conname, pg_get_constraintdef(con.oid)
      FROM pg_constraint con JOIN pg_class cl ON cl.oid = con.conrelid JOIN pg_namespace n ON n.oid = cl.relnamespace
      WHERE n.nspname = 'public' AND cl.relname <> '_prisma_migrations'`);
    const indexes = await q(`
      SELECT 'index', tablename, indexname, indexdef FROM pg_indexes
      WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`);
    const enums = await q(`
      SELECT 'enum', t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
      FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = 'public' GROUP BY t.typname`);
    return [...columns, ...constraints, ...indexes, ...enums].sort();
  } finally {
    await c.end();
  }
}

export function catalogDifferences(expected: string[], actual: string[]): string[] {
  const a = new Set(actual);
  const e = new Set(expected);
  return [...expected.filter((x) => !a.has(x)).map((x) => `missing: ${x}`), ...actual.filter((x) => !e.has(x)).map((x) => `unexpected: ${x}`)];
}
