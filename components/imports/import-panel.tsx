"use client";

import { useRouter } from "next/navigation";
import { ImportList } from "@/components/imports/import-list";
import { ImportWizard } from "@/components/imports/import-wizard";

type ListProps = Parameters<typeof ImportList>[0];

export function ImportPanel({ slug, sourceId, imports }: { slug: string; sourceId: string; imports: ListProps["imports"] }) {
  const router = useRouter();
  return (
    <div className="space-y-6">
      <ImportWizard slug={slug} sourceId={sourceId} onStarted={() => router.refresh()} />
      <ImportList slug={slug} imports={imports} />
    </div>
  );
}
