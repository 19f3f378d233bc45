import type { Metadata } from "next";
import { ListFilter } from "lucide-react";
import { SectionPlaceholder } from "@/components/app-shell/section-placeholder";
import { requirePageAccess } from "@/lib/auth/page-access";

export const metadata: Metadata = { title: "Segments" };

export default async function Page({ params }: { params: Promise<{ workspace: string }> }) {
  await requirePageAccess((await params).workspace, "segments.read");
  return (
    <SectionPlaceholder
      title="Segments"
      description="Audiences built from traits and behaviour, kept up to date in real time."
      icon={ListFilter}
      emptyTitle="No segments yet"
      emptyBody="Segments combine trait, event and membership conditions. Their size updates live while you build them, and people enter and leave as events arrive."
      steps={["Make sure profiles are arriving from a source.", "Build a segment visually: traits, events in a time window, other segments.", "Check the live size estimate and save it."]}
    />
  );
}
