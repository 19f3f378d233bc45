import Link from "next/link";
import { GitMerge } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { RelativeTime } from "@/components/sources/relative-time";
import { identifierLabel, type ConflictView, type MergeView } from "@/lib/profiles/profile-360";

const REASONS: Record<string, string> = {
  type_limit: "limit per type reached",
  identifier_cap: "too many identifiers",
  merge_cap: "merge cap reached",
  unmerged: "kept apart after an unmerge",
};

function ProfileRef({ slug, profile }: { slug: string; profile: MergeView["survivor"] }) {
  if (profile.self) return <span className="font-medium">this profile</span>;
  return <Link href={`/${slug}/profiles/${profile.id}`} className="font-medium text-indigo-700 hover:underline">{profile.title}</Link>;
}

/** The merge ledger of this profile: who was merged into whom, through which identifiers and message, and undos. */
export function MergeHistory({ slug, merges, conflicts }: { slug: string; merges: MergeView[]; conflicts: ConflictView[] }) {
  return (
    <Card role="region" aria-labelledby="merges-heading">
      <CardHeader className="pb-4">
        <CardTitle id="merges-heading" className="flex items-center gap-2">
          <GitMerge aria-hidden className="size-4 text-neutral-400" /> Merge history
        </CardTitle>
        <CardDescription>Profiles joined because an event linked their identifiers, newest first.</CardDescription>
      </CardHeader>
      <CardContent className="space-y-4">
        {merges.length === 0 ? (
          <p className="text-sm text-neutral-500">No merges: this profile was never joined with another.</p>
        ) : (
          <ol className="space-y-2" data-testid="merge-history">
            {merges.map((m) => (
              <li key={m.id} className="rounded-md border border-neutral-100 px-3 py-2 text-sm" data-testid="merge-entry">
                <div className="flex flex-wrap items-center gap-x-1.5 gap-y-1">
                  <ProfileRef slug={slug} profile={m.merged} /> <span className="text-neutral-600">was merged into</span> <ProfileRef slug={slug} profile={m.survivor} />
                  {m.undoneAt && <Badge variant="warning" title={new Date(m.undoneAt).toISOString()}>Undone</Badge>}
                </div>
                <p className="mt-0.5 text-xs text-neutral-500">
                  {m.linkedBy.length > 0 && <>through {m.linkedBy.map((l) => `${identifierLabel(l.type)} ${l.value}`).join(", ")} · </>}
                  {m.identifierCount > 0 && <>{m.identifierCount} {m.identifierCount === 1 ? "identifier" : "identifiers"} moved · </>}
                  {m.messageId && <>message <span className="font-mono">{m.messageId}</span>{m.source ? ` from ${m.source.name}` : ""} · </>}
                  <RelativeTime iso={m.at} />
                  {m.undoneAt && <> · undone <RelativeTime iso={m.undoneAt} /></>}
                </p>
              </li>
            ))}
          </ol>
        )}
        {conflicts.length > 0 && (
          <div>
            <h3 className="text-xs font-semibold uppercase tracking-wide text-neutral-500">Links refused</h3>
            <ul className="mt-1.5 space-y-1.5" data-testid="conflicts">
              {conflicts.map((c) => (
                <li key={c.id} className="text-xs text-neutral-600">
                  <span className="font-medium text-neutral-800">{identifierLabel(c.type)} {c.value}</span> · {REASONS[c.reason] ?? c.reason}
                  {c.messageId && <> · message <span className="font-mono">{c.messageId}</span></>} · <RelativeTime iso={c.at} />
                  <span className="block text-neutral-500">{c.detail}</span>
                </li>
              ))}
            </ul>
          </div>
        )}
      </CardContent>
    </Card>
  );
}
