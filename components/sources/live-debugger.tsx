"use client";

import { useEffect, useRef, useState } from "react";
import { ChevronRight, Pause, Play } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import type { ActivityItem } from "@/lib/sources/recent-activity";

const POLL_MS = 1500;

function summary(item: ActivityItem): string {
  if (item.kind === "rejected") return `${item.field}: ${item.reason}`;
  return [item.event, item.userId ?? item.anonymousId].filter(Boolean).join(" · ");
}

/** The newest events and rejections of a source, refreshed every 1.5 s without a reload. */
export function LiveDebugger({ slug, sourceId }: { slug: string; sourceId: string }) {
  const [items, setItems] = useState<ActivityItem[] | null>(null);
  const [paused, setPaused] = useState(false);
  const [failed, setFailed] = useState(false);
  const seen = useRef<Set<string>>(new Set());
  const [fresh, setFresh] = useState<Set<string>>(new Set());

  useEffect(() => {
    if (paused) return;
    let stop = false;
    const load = async () => {
      try {
        const res = await fetch(`/api/workspaces/${slug}/sources/${sourceId}/activity`, { cache: "no-store" });
        if (!res.ok) throw new Error(String(res.status));
        const { items: next } = (await res.json()) as { items: ActivityItem[] };
        if (stop) return;
        const first = seen.current.size === 0;
        const added = new Set(next.filter((i) => !seen.current.has(i.id)).map((i) => i.id));
        next.forEach((i) => seen.current.add(i.id));
        setFresh(first ? new Set() : added);
        setItems(next);
        setFailed(false);
      } catch {
        if (!stop) setFailed(true);
      }
    };
    void load();
    const timer = setInterval(load, POLL_MS);
    return () => {
      stop = true;
      clearInterval(timer);
    };
  }, [slug, sourceId, paused]);

  return (
    <Card>
      <CardHeader className="flex flex-row items-start justify-between gap-4">
        <div>
          <CardTitle>Live debugger</CardTitle>
          <CardDescription>The newest messages of this source as they arrive. Rejected ones show why. Click a row for its full JSON.</CardDescription>
        </div>
        <Button variant="outline" size="sm" onClick={() => setPaused((p) => !p)} aria-pressed={paused}>
          {paused ? <Play aria-hidden className="size-4" /> : <Pause aria-hidden className="size-4" />} {paused ? "Resume" : "Pause"}
        </Button>
      </CardHeader>
      <CardContent>
        {failed && <p role="status" className="mb-2 text-sm text-amber-700">Cannot reach Tessera; retrying…</p>}
        {items === null ? (
          <p className="text-sm text-neutral-500">Loading…</p>
        ) : items.length === 0 ? (
          <p className="rounded-lg border border-dashed border-neutral-300 p-6 text-center text-sm text-neutral-600" data-testid="debugger-empty">
            Waiting for the first event. Send one with the code on the Setup tab; it shows up here within seconds.
          </p>
        ) : (
          <ul className="divide-y divide-neutral-100 rounded-lg border border-neutral-200" aria-live="polite" data-testid="debugger-list">
            {items.map((item) => (
              <li key={item.id} className={fresh.has(item.id) ? "animate-[fade-in_0.6s_ease-out] bg-indigo-50/40" : undefined}>
                <details className="group">
                  <summary className="flex cursor-pointer list-none items-center gap-3 px-3 py-2 text-sm hover:bg-neutral-50">
                    <ChevronRight aria-hidden className="size-4 shrink-0 text-neutral-400 transition-transform group-open:rotate-90" />
                    {item.kind === "rejected" ? <Badge variant="destructive">rejected</Badge> : <Badge variant="secondary">{item.type}</Badge>}
                    <span className="min-w-0 flex-1 truncate" data-testid="debugger-summary">{summary(item)}</span>
                    <time className="shrink-0 tabular-nums text-xs text-neutral-500" dateTime={item.receivedAt}>{new Date(item.receivedAt).toLocaleTimeString("en")}</time>
                  </summary>
                  <pre className="max-h-96 overflow-auto bg-neutral-950 p-3 text-xs leading-relaxed text-neutral-100">{JSON.stringify(item.payload, null, 2)}</pre>
                </details>
              </li>
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}
