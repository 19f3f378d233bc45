import { ChevronRight, Tags } from "lucide-react";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { RelativeTime } from "@/components/sources/relative-time";
import type { TraitView } from "@/lib/profiles/profile-360";

/** Each trait's surviving value with where and when it came from, and the other values seen. */
export function TraitsCard({ traits, piiMasked }: { traits: TraitView[]; piiMasked: boolean }) {
  return (
    <Card role="region" aria-labelledby="traits-heading">
      <CardHeader className="pb-4">
        <CardTitle id="traits-heading" className="flex items-center gap-2">
          <Tags aria-hidden className="size-4 text-neutral-400" /> Traits <span className="font-normal text-neutral-500">{traits.length}</span>
        </CardTitle>
        <CardDescription>
          The value that won for each trait, with its source and when it was last sent.{piiMasked ? " Contact details are masked for your role." : ""}
        </CardDescription>
      </CardHeader>
      <CardContent>
        {traits.length === 0 ? (
          <p className="text-sm text-neutral-500">No traits yet: identify calls and context.traits set them.</p>
        ) : (
          <dl className="divide-y divide-neutral-100">
            {traits.map((t) => (
              <div key={t.key} className="py-2 first:pt-0 last:pb-0" data-testid={`trait-${t.key}`}>
                <dt className="font-mono text-xs text-neutral-500">{t.key}</dt>
                <dd>
                  <p className="break-words text-sm font-medium text-neutral-900" data-testid="trait-value">{t.value}</p>
                  {t.lineage && (
                    <p className="text-xs text-neutral-500" data-testid="trait-lineage">
                      {t.lineage.source ? <>from {t.lineage.source.name} · </> : null}
                      <RelativeTime iso={t.lineage.lastAt} />
                      {t.lineage.count > 1 ? <> · sent {t.lineage.count}×</> : null}
                    </p>
                  )}
                  {t.otherCount > 0 && (
                    <details className="group mt-1">
                      <summary className="inline-flex cursor-pointer list-none items-center gap-1 text-xs font-medium text-indigo-600 hover:underline [&::-webkit-details-marker]:hidden">
                        <ChevronRight aria-hidden className="size-3.5 transition-transform group-open:rotate-90" />
                        {t.otherCount} other {t.otherCount === 1 ? "value" : "values"}
                      </summary>
                      <ul className="mt-1 space-y-1 border-l-2 border-neutral-100 pl-3">
                        {t.others.map((o, i) => (
                          <li key={i} className="text-xs" data-testid="trait-candidate">
                            <span className="break-words text-neutral-800">{o.value}</span>
                            <span className="text-neutral-500">
                              {" "}· {o.count}× {o.source ? <>· {o.source.name} </> : null}· last <RelativeTime iso={o.lastAt} />
                            </span>
                          </li>
                        ))}
                        {t.otherCount > t.others.length && <li className="text-xs text-neutral-500">and {t.otherCount - t.others.length} more</li>}
                      </ul>
                    </details>
                  )}
                </dd>
              </div>
            ))}
          </dl>
        )}
      </CardContent>
    </Card>
  );
}
