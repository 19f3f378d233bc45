import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { RelativeTime } from "@/components/sources/relative-time";
import { CONFLICT_REASONS, type IdentityConflictPage } from "@/lib/identity/identity-conflicts";
import type { ConflictReason } from "@/lib/identity/resolve-identities";
import { identifierLabel } from "./identity-draft";

/** The workspace's latest identity conflicts, a page at a time (?before=<cursor>). */
export function RecentConflicts({
  slug,
  page,
  linkProfiles,
  isFirstPage,
  masked,
}: {
  slug: string;
  page: IdentityConflictPage;
  linkProfiles: boolean;
  isFirstPage: boolean;
  masked: boolean;
}) {
  const base = `/${slug}/identity`;
  return (
    <Card id="conflicts">
      <CardHeader>
        <CardTitle>Recent conflicts</CardTitle>
        <CardDescription>
          Identifiers that were kept apart instead of being added to a profile because a limit above was reached — if real customers show up here, the limits may be too tight.
        </CardDescription>
      </CardHeader>
      <CardContent>
        {page.conflicts.length === 0 ? (
          <p className="rounded-lg border border-dashed border-neutral-300 px-4 py-6 text-center text-sm text-neutral-600">
            {isFirstPage ? "No conflicts so far: every identifier found its profile within the limits." : "No older conflicts."}
          </p>
        ) : (
          <>
            {masked && <p className="mb-3 text-sm text-neutral-600">Email addresses and phone numbers are masked for your role.</p>}
            <Table data-testid="conflicts-table">
              <TableHeader>
                <TableRow>
                  <TableHead>When</TableHead>
                  <TableHead>Identifier</TableHead>
                  <TableHead>Reason</TableHead>
                  <TableHead>Detail</TableHead>
                  <TableHead>Profile</TableHead>
                  <TableHead>Message</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {page.conflicts.map((c) => (
                  <TableRow key={c.id}>
                    <TableCell className="whitespace-nowrap text-neutral-600">
                      <RelativeTime iso={c.createdAt} />
                    </TableCell>
                    <TableCell className="max-w-56">
                      <div className="text-xs text-neutral-500">{identifierLabel(c.identifierType)}</div>
                      <div className="truncate font-mono text-xs" title={c.identifierValue}>
                        {c.identifierValue}
                      </div>
                    </TableCell>
                    <TableCell>
                      <Badge variant={c.reason === "unmerged" ? "secondary" : "warning"} title={CONFLICT_REASONS[c.reason as ConflictReason]?.explanation}>
                        {c.reasonLabel}
                      </Badge>
                    </TableCell>
                    <TableCell className="min-w-56 text-neutral-700">{c.detail}</TableCell>
                    <TableCell className="whitespace-nowrap">
                      {c.profileId ? (
                        linkProfiles ? (
                          <Link href={`/${slug}/profiles/${c.profileId}`} className="font-medium text-indigo-700 hover:underline">
                            Open profile
                          </Link>
                        ) : (
                          <span className="font-mono text-xs">{c.profileId.slice(0, 8)}</span>
                        )
                      ) : (
                        <span className="text-neutral-400">—</span>
                      )}
                    </TableCell>
                    <TableCell className="max-w-48">
                      {c.messageId ? (
                        <div className="truncate font-mono text-xs" title={c.messageId}>
                          {c.messageId}
                        </div>
                      ) : (
                        <span className="text-neutral-400">—</span>
                      )}
                      {c.source && <div className="truncate text-xs text-neutral-500">{c.source.name}</div>}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </>
        )}
        {(!isFirstPage || page.nextCursor) && (
          <nav aria-label="Conflict pages" className="mt-4 flex gap-4 text-sm">
            {!isFirstPage && (
              <Link href={`${base}#conflicts`} className="font-medium text-indigo-700 hover:underline">
                Newest conflicts
              </Link>
            )}
            {page.nextCursor && (
              <Link href={`${base}?before=${encodeURIComponent(page.nextCursor)}#conflicts`} className="font-medium text-indigo-700 hover:underline">
                Older conflicts
              </Link>
            )}
          </nav>
        )}
      </CardContent>
    </Card>
  );
}
