import type { Metadata } from "next";
import { requireSourcePage } from "@/lib/sources/require-source-page";
import { EnableForm, OriginsForm, RotateKeyForm } from "./source-settings-forms";

export const metadata: Metadata = { title: "Source settings" };

export default async function SourceSettingsPage({ params }: { params: Promise<{ workspace: string; sourceId: string }> }) {
  const { workspace: slug, sourceId } = await params;
  const { workspace, source } = await requireSourcePage(slug, sourceId, "sources.write");
  return (
    <div className="space-y-6">
      <RotateKeyForm slug={workspace.slug} sourceId={source.id} rotated={source.rotatedKeys.map((k) => ({ key: k.key, expiresAt: k.expiresAt?.toISOString() ?? null }))} />
      <OriginsForm slug={workspace.slug} sourceId={source.id} origins={source.allowedOrigins} />
      <EnableForm slug={workspace.slug} sourceId={source.id} enabled={source.enabled} />
    </div>
  );
}
