import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ArrowLeft } from "lucide-react";
import { SegmentBuilder } from "@/components/segments/segment-builder";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageAccess } from "@/lib/auth/page-access";
import { can } from "@/lib/auth/permissions";
import { getSegment } from "@/lib/segments/get-segment";
import { ruleVocabulary } from "@/lib/segments/rule-vocabulary";
import { estimateSegmentAction, updateSegmentAction } from "../../actions";

export const metadata: Metadata = { title: "Edit segment" };

export default async function EditSegmentPage({ params }: { params: Promise<{ workspace: string; segmentId: string }> }) {
  const { workspace: slug, segmentId } = await params;
  const { workspace, role } = await requirePageAccess(slug, "segments.write");
  const [segment, vocabulary] = await Promise.all([getSegment({ workspaceId: workspace.id, segmentId }), ruleVocabulary({ workspaceId: workspace.id, canSeePii: can(role, "profiles.read_pii") })]);
  if (!segment) notFound();
  // A segment cannot contain itself; deleted references stay visible (as "deleted") until fixed.
  const pickable = { ...vocabulary, segments: vocabulary.segments.filter((s) => s.id !== segment.id) };
  return (
    <>
      <Link href={`/${workspace.slug}/segments/${segment.id}`} className="inline-flex items-center gap-1 text-sm text-neutral-600 hover:text-neutral-900">
        <ArrowLeft aria-hidden className="size-4" /> {segment.name}
      </Link>
      <PageHeader className="mt-2" title={`Edit ${segment.name}`} description="Saving re-evaluates the segment: people who no longer match leave it, new matches enter." />
      <SegmentBuilder
        slug={workspace.slug}
        vocabulary={pickable}
        estimate={estimateSegmentAction}
        update={updateSegmentAction}
        segment={{ id: segment.id, name: segment.name, description: segment.description, rule: segment.rule, version: segment.version }}
      />
    </>
  );
}
