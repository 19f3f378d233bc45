"use client";

import { useRouter } from "next/navigation";
import { ImportList } from "@/components/imports/import-list";
import { ImportWizard, type Uploaded } from "@/components/imports/import-wizard";

type ListProps = Parameters<typeof ImportList>[0];

export function ImportPanel({ slug, sourceId, imports, resume }: { slug: string; sourceId: string; imports: ListProps["imports"]; resume: Uploaded | null }) {
  const router = useRouter();
  return (
    <div className="space-y-6">
      <ImportWizard slug={slug} sourceId={sourceId} initial={resume} onStarted={() => router.refresh()} />
      <ImportList slug={slug} imports={imports} />
    </div>
  );
}
