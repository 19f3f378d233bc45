// npm run seed:demo: seeds the demo workspace into the database of DATABASE_URL (or the embedded
// one while `npm start` is not running).
import { env } from "../lib/env";
import { applyMigrations } from "../lib/db/migrate";
import { closePool } from "../lib/db/pool";
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from "../lib/seed/seed-demo";

const url = env().DATABASE_URL;
if (!url) {
  console.error("Set DATABASE_URL to the database to seed (npm start seeds its embedded database by itself).");
  process.exit(2);
}
await applyMigrations({ connectionString: url });
const result = await seedDemo({ force: true });
console.log(result === "seeded" ? "Demo workspace seeded." : "Demo workspace was already there.");
console.log(`Sign in with password "${DEMO_PASSWORD}" as ${DEMO_USERS.map((u) => u.email).join(", ")}`);
await closePool();
