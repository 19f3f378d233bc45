import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/db/generated/client";
import { getPool } from "@/lib/db/pool";

const KEY = Symbol.for("tessera.prisma");
type WithPrisma = typeof globalThis & { [KEY]?: PrismaClient };

export function db(): PrismaClient {
  const g = globalThis as WithPrisma;
  g[KEY] ??= new PrismaClient({ adapter: new PrismaPg(getPool()) });
  return g[KEY];
}
