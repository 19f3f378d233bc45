// Vitest global setup for integration tests: the database (a temp cluster started by
// scripts/with-temp-postgres.ts) gets the migrations once.
import { applyMigrations } from "@/lib/db/migrate";

export default async function setup() {
  const url = process.env.DATABASE_URL;
  if (!url || !process.env.TESSERA_TEST_DATABASE) {
    throw new Error("Integration tests need a throw-away database: run them with `npm run test:integration`.");
  }
  await applyMigrations({ connectionString: url });
}
