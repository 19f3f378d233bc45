import { db } from "@/lib/db/prisma";
import { generateWriteKey } from "@/lib/sources/generate-write-key";
import type { SourceKind } from "@/lib/sources/source-input";

export async function createSource(options: { workspaceId: string; name: string; kind: SourceKind; allowedOrigins?: string[] }) {
  return db().source.create({
    data: {
      workspaceId: options.workspaceId,
      name: options.name,
      kind: options.kind,
      allowedOrigins: options.allowedOrigins ?? [],
      writeKeys: { create: { key: generateWriteKey() } },
    },
    select: { id: true, name: true, kind: true },
  });
}
