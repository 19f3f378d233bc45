import type { Metadata } from "next";
import { requirePageAccess } from "@/lib/auth/page-access";
import { getSource } from "@/lib/sources/get-source";
import { EnableForm, OriginsForm, RotateKeyForm } from "./source-settings-forms";

export const metadata: Metadata = { title: "Source settings" };

export default async function SourceSettingsPage({ params }: { params: Promise<{ workspace: string; sourceId: string }> }) {
  const { workspace: slug, sourceId } = await params;
  const { workspace } = await requirePageAccess(slug, "sources.write");
  const source = await getSource({ workspaceId: workspace.id, sourceId });
  return (
    <div className="space-y-6">
      <RotateKeyForm slug={workspace.slug} sourceId={source.id} rotated={source.rotatedKeys.map((k) => ({ key: k.key, expiresAt: k.expiresAt?.toISOString() ?? null }))} />
      <OriginsForm slug={workspace.slug} sourceId={source.id} origins={source.allowedOrigins} />
      <EnableForm slug={workspace.slug} sourceId={source.id} enabled={source.enabled} />
    </div>
  );
}
