// Prisma 7 CLI config (used by `prisma generate`). Migrations are applied by lib/db/migrate.ts at
// start-up and generated with `npm run db:migration` (see README).
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
