import Link from "next/link";
import { ListFilter, Sigma } from "lucide-react";
import { RelativeTime } from "@/components/sources/relative-time";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import type { ComputedTraitView, SegmentMembershipView } from "@/lib/profiles/profile-360";

/** Computed trait values (with their definition) and the segments the profile is in now. */
export function ComputedTraitsCard({ slug, computedTraits, segments }: { slug: string; computedTraits: ComputedTraitView[]; segments: { items: SegmentMembershipView[]; total: number } }) {
  return (
    <Card role="region" aria-labelledby="computed-traits-heading" data-testid="computed-traits-card">
      <CardHeader className="pb-4">
        <CardTitle id="computed-traits-heading" className="flex items-center gap-2">
          <Sigma aria-hidden className="size-4 text-neutral-400" /> Computed traits <span className="font-normal text-neutral-500">{computedTraits.length}</span>
        </CardTitle>
        <CardDescription>Computed from this profile&apos;s events and kept current as they arrive.</CardDescription>
      </CardHeader>
      <CardContent className="space-y-6">
        {computedTraits.length === 0 ? (
          <p className="text-sm text-neutral-500">
            No computed values for this profile. <Link href={`/${slug}/segments/computed-traits`} className="text-indigo-600 hover:underline">Computed traits</Link> count or add up events.
          </p>
        ) : (
          <dl className="divide-y divide-neutral-100">
            {computedTraits.map((t) => (
              <div key={t.key} className="py-2 first:pt-0 last:pb-0" data-testid={`computed-trait-${t.key}`}>
                <dt className="flex items-baseline justify-between gap-2">
                  <span className="min-w-0 break-words text-sm text-neutral-700">{t.name}</span>
                  {/* The key yields to the name when space is short; the full key is in the tooltip. */}
                  <span className="max-w-[45%] shrink-0 truncate font-mono text-xs text-neutral-400" title={t.key}>{t.key}</span>
                </dt>
                <dd>
                  <p className="break-words text-sm font-medium tabular-nums text-neutral-900" data-testid="computed-trait-value">{t.value}</p>
                  <p className="text-xs text-neutral-500">
                    {t.description} · changed <RelativeTime iso={t.updatedAt} />
                  </p>
                </dd>
              </div>
            ))}
          </dl>
        )}
        <section aria-labelledby="profile-segments-heading" data-testid="profile-segments">
          <h3 id="profile-segments-heading" className="flex items-center gap-2 text-sm font-semibold">
            <ListFilter aria-hidden className="size-4 text-neutral-400" /> Segments <span className="font-normal text-neutral-500">{segments.total}</span>
          </h3>
          {segments.total === 0 ? (
            <p className="mt-1 text-sm text-neutral-500">Not in any segment.</p>
          ) : (
            <ul className="mt-2 flex flex-wrap gap-2">
              {segments.items.map((s) => (
                <li key={s.id}>
                  <Link
                    href={`/${slug}/segments/${s.id}`}
                    title={`In this segment since ${new Date(s.enteredAt).toISOString().slice(0, 16).replace("T", " ")} UTC`}
                    className="inline-flex items-center rounded-full border border-indigo-200 bg-indigo-50 px-2.5 py-0.5 text-xs font-medium text-indigo-700 hover:bg-indigo-100 focus-visible:outline-2 focus-visible:outline-indigo-600"
                  >
                    {s.name}
                  </Link>
                </li>
              ))}
              {segments.total > segments.items.length && <li className="text-xs text-neutral-500">and {segments.total - segments.items.length} more</li>}
            </ul>
          )}
        </section>
      </CardContent>
    </Card>
  );
}
