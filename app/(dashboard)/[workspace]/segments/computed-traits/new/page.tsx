import type { Metadata } from "next";
import Link from "next/link";
import { ArrowLeft } from "lucide-react";
import { ComputedTraitForm } from "@/components/computed-traits/computed-trait-form";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageAccess } from "@/lib/auth/page-access";
import { can } from "@/lib/auth/permissions";
import { ruleVocabulary } from "@/lib/segments/rule-vocabulary";
import { saveComputedTraitAction } from "../actions";

export const metadata: Metadata = { title: "New computed trait" };

export default async function NewComputedTraitPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace, role } = await requirePageAccess((await params).workspace, "segments.write");
  const vocabulary = await ruleVocabulary({ workspaceId: workspace.id, canSeePii: can(role, "profiles.read_pii") });
  const events = vocabulary.events.map((e) => ({ name: e.name, properties: e.properties.map((p) => ({ key: p.key, type: p.type })) }));
  return (
    <>
      <Link href={`/${workspace.slug}/segments/computed-traits`} className="inline-flex items-center gap-1 text-sm text-neutral-600 hover:text-neutral-900">
        <ArrowLeft aria-hidden className="size-4" /> Computed traits
      </Link>
      <PageHeader className="mt-2" title="New computed trait" description="A value computed from each profile's events, kept current as events arrive. It appears on profiles, in the Profile API and in segment conditions." />
      <ComputedTraitForm slug={workspace.slug} events={events} save={saveComputedTraitAction} />
    </>
  );
}
