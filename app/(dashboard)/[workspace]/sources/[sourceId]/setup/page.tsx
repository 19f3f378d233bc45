import type { Metadata } from "next";
import { headers } from "next/headers";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { CodeBlock } from "@/components/sources/code-block";
import { CopyButton } from "@/components/sources/copy-button";
import { requireSourcePage } from "@/lib/sources/require-source-page";
import { publicOrigin } from "@/lib/sources/public-origin";
import { setupSnippets } from "@/lib/sources/setup-snippets";

export const metadata: Metadata = { title: "Source setup" };

export default async function SourceSetupPage({ params }: { params: Promise<{ workspace: string; sourceId: string }> }) {
  const { workspace: slug, sourceId } = await params;
  const { source } = await requireSourcePage(slug, sourceId, "sources.read");
  const origin = publicOrigin(await headers());
  return (
    <div className="space-y-6">
      <Card>
        <CardHeader>
          <CardTitle as="h3">Write key</CardTitle>
          <CardDescription>Identifies this source on the tracking API. It is not a password: browser code ships it openly. Rotate it in Settings if it leaks to the wrong place.</CardDescription>
        </CardHeader>
        <CardContent>
          {source.writeKey ? (
            <div className="flex flex-wrap items-center gap-3">
              <code className="rounded-md bg-neutral-100 px-3 py-2 font-mono text-sm" data-testid="write-key">{source.writeKey}</code>
              <CopyButton value={source.writeKey} label="Copy key" />
            </div>
          ) : (
            <p className="text-sm text-red-600">This source has no active write key. Rotate the key in Settings to issue one.</p>
          )}
          <p className="mt-3 text-sm text-neutral-600">Tracking API host: <code className="font-mono">{origin}/v1</code></p>
        </CardContent>
      </Card>
      {source.writeKey && setupSnippets({ kind: source.kind, writeKey: source.writeKey, origin }).map((s) => <CodeBlock key={s.title} {...s} />)}
    </div>
  );
}
