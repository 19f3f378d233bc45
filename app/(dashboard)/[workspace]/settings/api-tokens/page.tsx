import type { Metadata } from "next";
import { headers } from "next/headers";
import { KeyRound } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { requirePageAccess } from "@/lib/auth/page-access";
import { listApiTokens } from "@/lib/profile-api/api-tokens";
import { publicOrigin } from "@/lib/sources/public-origin";
import { ApiTokensTable } from "./api-tokens-table";
import { CreateApiTokenForm } from "./create-api-token-form";

export const metadata: Metadata = { title: "API tokens" };

export default async function ApiTokensPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace } = await requirePageAccess((await params).workspace, "workspace.update");
  const [tokens, origin] = await Promise.all([listApiTokens(workspace.id), headers().then(publicOrigin)]);
  return (
    <div className="space-y-6">
      <p className="max-w-3xl text-sm text-neutral-600">
        API tokens let your own servers read customer profiles (traits, identifiers, events) from the Profile API at{" "}
        <code className="font-mono text-neutral-800">{origin}/v1/spaces/{workspace.slug}</code>, which works like Segment&apos;s Profile API.
      </p>
      <CreateApiTokenForm slug={workspace.slug} origin={origin} />
      {tokens.length === 0 ? (
        <EmptyState
          icon={KeyRound}
          title="No API tokens yet"
          description="Create one above for each system that reads profiles, so each can be revoked on its own."
        />
      ) : (
        <ApiTokensTable
          slug={workspace.slug}
          tokens={tokens.map((t) => ({
            id: t.id,
            name: t.name,
            prefix: t.prefix,
            createdAt: t.createdAt.toISOString(),
            lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
            revokedAt: t.revokedAt?.toISOString() ?? null,
          }))}
        />
      )}
    </div>
  );
}
