// Config for the Prisma 6 CLI (npm alias `prisma6`), used only to produce migration SQL offline
// with its WASM schema engine (Prisma 7's CLI needs a native engine download for `migrate`).
// Runtime and `prisma generate` use Prisma 7 with ../prisma.config.ts.
import { defineConfig } from "prisma6/config";
import { PrismaPg } from "@prisma/adapter-pg";

export default defineConfig({
  schema: "../prisma/schema.prisma",
  experimental: { adapter: true },
  engine: "js",
  // The adapter is only opened by commands that talk to a database (`--from-config-datasource`).
  adapter: async () => new PrismaPg({ connectionString: process.env.MIGRATION_DATABASE_URL ?? "" }),
});
