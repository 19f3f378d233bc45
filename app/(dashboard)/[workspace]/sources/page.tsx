import type { Metadata } from "next";
import Link from "next/link";
import { Database, Plus } from "lucide-react";
import { buttonVariants } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { RelativeTime } from "@/components/sources/relative-time";
import { requirePageAccess } from "@/lib/auth/page-access";
import { can } from "@/lib/auth/permissions";
import { listSources } from "@/lib/sources/list-sources";
import { SOURCE_KIND_LABELS } from "@/lib/sources/source-input";

export const metadata: Metadata = { title: "Sources" };

export default async function SourcesPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace, role } = await requirePageAccess((await params).workspace, "sources.read");
  const sources = await listSources({ workspaceId: workspace.id });
  const newButton = can(role, "sources.write") && (
    <Link href={`/${workspace.slug}/sources/new`} className={buttonVariants()}>
      <Plus aria-hidden className="size-4" /> New source
    </Link>
  );
  return (
    <>
      <PageHeader title="Sources" description="Websites, mobile apps, servers and file imports that send customer data to Tessera." actions={sources.length > 0 ? newButton : null} />
      {sources.length === 0 ? (
        <EmptyState
          className="mt-8"
          icon={Database}
          title="No sources yet"
          description="Each source gets a write key for the Segment-compatible tracking API, so apps already using Segment or RudderStack SDKs switch by changing one host setting."
          action={newButton || <p className="text-sm text-neutral-500">Ask an admin to create the first source.</p>}
        />
      ) : (
        <div className="mt-6">
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Source</TableHead>
                <TableHead>Kind</TableHead>
                <TableHead className="text-right">Events, 24 h</TableHead>
                <TableHead className="text-right">Rejected, 24 h</TableHead>
                <TableHead>Last event</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {sources.map((s) => (
                <TableRow key={s.id}>
                  <TableCell>
                    <Link href={`/${workspace.slug}/sources/${s.id}`} className="font-medium text-indigo-700 hover:underline">{s.name}</Link>{" "}
                    {!s.enabled && <Badge variant="warning">disabled</Badge>}
                  </TableCell>
                  <TableCell>{SOURCE_KIND_LABELS[s.kind].label}</TableCell>
                  <TableCell className="text-right tabular-nums">{s.accepted24h.toLocaleString("en")}</TableCell>
                  <TableCell className="text-right tabular-nums">{s.rejected24h > 0 ? <span className="text-red-600">{s.rejected24h.toLocaleString("en")}</span> : 0}</TableCell>
                  <TableCell>{s.lastEventAt ? <RelativeTime iso={s.lastEventAt.toISOString()} /> : <span className="text-neutral-400">never</span>}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </>
  );
}
