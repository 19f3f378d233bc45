import { Building2, User } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { RelativeTime } from "@/components/sources/relative-time";
import type { Profile360 } from "@/lib/profiles/profile-360";

const humanize = (key: string) => key.replace(/[_.]+/g, " ").replace(/([a-z])([A-Z])/g, "$1 $2").replace(/^./, (c) => c.toUpperCase());

function initials(title: string): string | null {
  const words = title.split(/\s+/).filter((w) => /^\p{L}/u.test(w));
  if (words.length === 0 || title.includes("@") || title.includes("•")) return null;
  return words.slice(0, 2).map((w) => w[0].toUpperCase()).join("");
}

/** Who this is at a glance: name, key traits, first and last seen, events and sources. */
export function ProfileHeader({ profile }: { profile: Profile360 }) {
  const Icon = profile.kind === "account" ? Building2 : User;
  const mark = profile.displayName ? initials(profile.displayName) : null;
  return (
    <Card className="p-5 sm:p-6" data-testid="profile-header">
      <div className="flex items-start gap-4">
        <div aria-hidden className="grid size-12 shrink-0 place-items-center rounded-full bg-indigo-50 text-base font-semibold text-indigo-700">
          {mark ?? <Icon className="size-6" />}
        </div>
        <div className="min-w-0 flex-1">
          <div className="flex flex-wrap items-center gap-2">
            <h1 className="min-w-0 break-words text-2xl font-semibold tracking-tight text-neutral-900">{profile.title}</h1>
            <Badge variant="secondary">{profile.kind === "account" ? "Account" : "Person"}</Badge>
            {profile.anonymous && <Badge variant="outline">Anonymous</Badge>}
            {profile.mergeCount > 0 && <Badge variant="outline" title="Profiles merged into this one">{profile.mergeCount} {profile.mergeCount === 1 ? "merge" : "merges"}</Badge>}
          </div>
          {profile.keyTraits.length > 0 ? (
            <dl className="mt-2 flex flex-wrap gap-x-5 gap-y-1 text-sm" data-testid="key-traits">
              {profile.keyTraits.map((t) => (
                <div key={t.key} className="flex min-w-0 items-baseline gap-1.5">
                  <dt className="text-neutral-500">{humanize(t.key)}</dt>
                  <dd className="max-w-64 truncate font-medium text-neutral-900" title={t.value}>{t.value}</dd>
                </div>
              ))}
            </dl>
          ) : (
            <p className="mt-2 text-sm text-neutral-500">No traits yet.</p>
          )}
        </div>
      </div>
      <dl className="mt-5 grid grid-cols-2 gap-4 border-t border-neutral-100 pt-4 text-sm sm:grid-cols-4" data-testid="profile-facts">
        <div>
          <dt className="text-xs text-neutral-500">First seen</dt>
          <dd className="mt-0.5 font-medium"><RelativeTime iso={profile.firstSeenAt} /></dd>
        </div>
        <div>
          <dt className="text-xs text-neutral-500">Last seen</dt>
          <dd className="mt-0.5 font-medium">
            <RelativeTime iso={profile.lastSeenAt} />
            {profile.lastSource && <span className="font-normal text-neutral-500"> on {profile.lastSource.name}</span>}
          </dd>
        </div>
        <div>
          <dt className="text-xs text-neutral-500">Events</dt>
          <dd className="mt-0.5 font-medium tabular-nums">{profile.eventCount.toLocaleString("en")}</dd>
        </div>
        <div className="min-w-0">
          <dt className="text-xs text-neutral-500">{profile.sources.length === 1 ? "Source" : `Sources (${profile.sources.length})`}</dt>
          <dd className="mt-1 flex flex-wrap gap-1">
            {profile.sources.length === 0 ? <span className="text-neutral-500">none</span> : profile.sources.map((s) => <Badge key={s.id} variant="outline">{s.name}</Badge>)}
          </dd>
        </div>
      </dl>
    </Card>
  );
}
