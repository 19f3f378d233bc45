import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ArrowLeft } from "lucide-react";
import { ComputedTraitForm } from "@/components/computed-traits/computed-trait-form";
import { ConfirmDeleteButton } from "@/components/ui/confirm-delete-button";
import { RelativeTime } from "@/components/sources/relative-time";
import { Alert } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageAccess } from "@/lib/auth/page-access";
import { can } from "@/lib/auth/permissions";
import { getComputedTrait } from "@/lib/computed-traits/get-computed-trait";
import { ruleVocabulary } from "@/lib/segments/rule-vocabulary";
import { deleteComputedTraitAction, saveComputedTraitAction } from "../actions";

export const metadata: Metadata = { title: "Computed trait" };

export default async function ComputedTraitPage({ params }: { params: Promise<{ workspace: string; traitId: string }> }) {
  const { workspace: slug, traitId } = await params;
  const { workspace, role } = await requirePageAccess(slug, "segments.read");
  const trait = await getComputedTrait({ workspaceId: workspace.id, traitId });
  if (!trait) notFound();
  const canWrite = can(role, "segments.write");
  const vocabulary = canWrite ? await ruleVocabulary({ workspaceId: workspace.id, canSeePii: can(role, "profiles.read_pii") }) : null;
  const facts = (
    <p className="text-sm text-neutral-600">
      <code className="font-mono text-neutral-800">{trait.key}</code> · {trait.profiles.toLocaleString("en")} {trait.profiles === 1 ? "profile has" : "profiles have"} a value · last computed{" "}
      {trait.evaluatedAt ? <RelativeTime iso={trait.evaluatedAt.toISOString()} /> : "never"}
    </p>
  );
  return (
    <>
      <Link href={`/${workspace.slug}/segments/computed-traits`} className="inline-flex items-center gap-1 text-sm text-neutral-600 hover:text-neutral-900">
        <ArrowLeft aria-hidden className="size-4" /> Computed traits
      </Link>
      <PageHeader
        className="mt-2"
        title={trait.name}
        description={trait.description}
        actions={canWrite ? (
            <ConfirmDeleteButton
              slug={workspace.slug}
              name={trait.name}
              consequence={`Its values on ${trait.profiles.toLocaleString("en")} ${trait.profiles === 1 ? "profile go" : "profiles go"} too, and the Profile API stops returning it. Segments that use it must be changed first.`}
              confirmLabel="Delete computed trait"
              action={deleteComputedTraitAction}
              input={{ traitId: trait.id }}
              redirectTo={`/${workspace.slug}/segments/computed-traits`}
            />
          ) : null}
      />
      {facts}
      {trait.lastError && <Alert variant="error" className="mt-4" title="The last computation failed">{trait.lastError}</Alert>}
      <div className="mt-6">
        {vocabulary ? (
          <ComputedTraitForm
            slug={workspace.slug}
            events={vocabulary.events.map((e) => ({ name: e.name, properties: e.properties.map((p) => ({ key: p.key, type: p.type })) }))}
            trait={{ id: trait.id, name: trait.name, key: trait.key, definition: trait.rawDefinition }}
            save={saveComputedTraitAction}
          />
        ) : (
          <p className="text-sm text-neutral-500">Your role can look at computed traits; marketers and admins change them.</p>
        )}
      </div>
    </>
  );
}
