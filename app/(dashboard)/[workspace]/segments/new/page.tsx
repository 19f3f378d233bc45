import type { Metadata } from "next";
import Link from "next/link";
import { ArrowLeft } from "lucide-react";
import { SegmentBuilder } from "@/components/segments/segment-builder";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageAccess } from "@/lib/auth/page-access";
import { can } from "@/lib/auth/permissions";
import { ruleVocabulary } from "@/lib/segments/rule-vocabulary";
import { createSegmentAction, estimateSegmentAction } from "../actions";

export const metadata: Metadata = { title: "New segment" };

export default async function NewSegmentPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace, role } = await requirePageAccess((await params).workspace, "segments.write");
  const vocabulary = await ruleVocabulary({ workspaceId: workspace.id, canSeePii: can(role, "profiles.read_pii") });
  return (
    <>
      <Link href={`/${workspace.slug}/segments`} className="inline-flex items-center gap-1 text-sm text-neutral-600 hover:text-neutral-900">
        <ArrowLeft aria-hidden className="size-4" /> Segments
      </Link>
      <PageHeader className="mt-2" title="New segment" description="Describe who belongs in it. The estimate on the right updates as you build." />
      <SegmentBuilder slug={workspace.slug} vocabulary={vocabulary} estimate={estimateSegmentAction} create={createSegmentAction} />
    </>
  );
}
