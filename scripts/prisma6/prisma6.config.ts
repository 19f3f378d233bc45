// Config for the Prisma 6 CLI (npm alias `prisma6`), used only to produce migration SQL offline
// with its WASM schema engine (Prisma 7's CLI needs a native engine download for `migrate`).
// Runtime and `prisma generate` use Prisma 7 with the root prisma.config.ts.
import { defineConfig } from "prisma6/config";
import { PrismaPg } from "@prisma/adapter-pg";

export default defineConfig({
  schema: "../../prisma/schema.prisma",
  experimental: { adapter: true },
  engine: "js",
  // The engine opens the adapter even for a pure datamodel diff; any scratch database will do.
  // A short idle timeout lets the CLI exit as soon as it is done instead of holding the pool 10 s.
  adapter: async () => new PrismaPg({ connectionString: process.env.MIGRATION_DATABASE_URL ?? "", idleTimeoutMillis: 50 }),
});
