import Link from "next/link";
import { Building2, Users } from "lucide-react";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { RelativeTime } from "@/components/sources/relative-time";
import type { Profile360 } from "@/lib/profiles/profile-360";

/** A person's accounts, or an account's people, each linking to its own 360. */
export function LinkedProfilesCard({ slug, kind, links }: { slug: string; kind: Profile360["kind"]; links: Profile360["links"] }) {
  const accounts = kind === "user";
  const Icon = accounts ? Building2 : Users;
  return (
    <Card role="region" aria-labelledby="links-heading">
      <CardHeader className="pb-4">
        <CardTitle id="links-heading" className="flex items-center gap-2">
          <Icon aria-hidden className="size-4 text-neutral-400" /> {accounts ? "Accounts" : "People"} <span className="font-normal text-neutral-500">{links.total}</span>
        </CardTitle>
        <CardDescription>{accounts ? "Companies or households this person belongs to (from group calls)." : "People linked to this account by group calls."}</CardDescription>
      </CardHeader>
      <CardContent>
        {links.items.length === 0 ? (
          <p className="text-sm text-neutral-500">{accounts ? "Not linked to any account." : "No people linked yet."}</p>
        ) : (
          <ul className="space-y-1.5">
            {links.items.map((l) => (
              <li key={l.id}>
                <Link href={`/${slug}/profiles/${l.id}`} className="group block rounded-md border border-neutral-100 px-2.5 py-1.5 hover:border-indigo-200 hover:bg-indigo-50/40">
                  <span className="block truncate text-sm font-medium text-indigo-700 group-hover:underline">{l.title}</span>
                  <span className="block truncate text-xs text-neutral-500">
                    {l.subtitle ? <>{l.subtitle} · </> : null}since <RelativeTime iso={l.firstAt} />
                  </span>
                </Link>
              </li>
            ))}
            {links.total > links.items.length && <li className="text-xs text-neutral-500">and {(links.total - links.items.length).toLocaleString("en")} more</li>}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}
