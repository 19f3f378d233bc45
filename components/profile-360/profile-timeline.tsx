"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { Activity, ChevronRight, SearchX } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { NativeSelect } from "@/components/ui/select";
import { Spinner } from "@/components/ui/spinner";
import { dayKey, dayLabel, LocalTime, useHydrated } from "@/components/profile-360/local-time";
import type { TimelineEvent, TimelineFacets, TimelinePage } from "@/lib/profiles/profile-timeline";

export interface TimelineFilterState {
  type: string;
  source: string;
  event: string;
}

const FILTER_KEYS = ["type", "source", "event"] as const;

const TYPE_BADGES: Record<string, "default" | "secondary" | "success" | "warning" | "outline"> = {
  track: "default",
  page: "secondary",
  screen: "secondary",
  identify: "success",
  group: "warning",
  alias: "outline",
};

const IDENTIFIER_LABELS: Record<string, string> = { user_id: "user id", anonymous_id: "anonymous id", device_id: "device id", advertising_id: "advertising id", group_id: "group id" };

type Status = "idle" | "reloading" | "more" | "error" | "error-more";

/**
 * The unified timeline: newest first, the next page loads as the end of the list scrolls into view
 * (or with the button), filters by type, source and event name reload from the timeline route and
 * are kept in the URL. Each event opens to its stored JSON.
 */
export function ProfileTimeline({
  slug,
  profileId,
  kind,
  initial,
  initialFilters,
  facets,
  piiMasked,
  eventCount,
}: {
  slug: string;
  profileId: string;
  kind: "user" | "account";
  initial: TimelinePage;
  initialFilters: TimelineFilterState;
  facets: TimelineFacets;
  piiMasked: boolean;
  eventCount: number;
}) {
  const [filters, setFilters] = useState(initialFilters);
  const [items, setItems] = useState(initial.items);
  const [next, setNext] = useState(initial.next);
  const [status, setStatus] = useState<Status>("idle");
  const seq = useRef(0);
  const inflight = useRef<number | null>(null);
  const requested = useRef(new Set<string>());
  const sentinel = useRef<HTMLDivElement>(null);
  const local = useHydrated();

  const fetchPage = useCallback(
    async (f: TimelineFilterState, cursor: string | null): Promise<TimelinePage> => {
      const params = new URLSearchParams();
      for (const k of FILTER_KEYS) if (f[k]) params.set(k, f[k]);
      if (cursor) params.set("cursor", cursor);
      const res = await fetch(`/api/workspaces/${encodeURIComponent(slug)}/profiles/${profileId}/timeline?${params}`, { cache: "no-store" });
      if (!res.ok) throw new Error(`timeline: ${res.status}`);
      return (await res.json()) as TimelinePage;
    },
    [slug, profileId],
  );

  const applyFilters = (f: TimelineFilterState) => {
    setFilters(f);
    const url = new URL(window.location.href);
    for (const k of FILTER_KEYS) {
      url.searchParams.delete(k);
      if (f[k]) url.searchParams.set(k, f[k]);
    }
    window.history.replaceState(window.history.state, "", url);
    const id = ++seq.current;
    setStatus("reloading");
    fetchPage(f, null).then(
      (page) => {
        if (id !== seq.current) return;
        setItems(page.items);
        setNext(page.next);
        setStatus("idle");
      },
      () => {
        if (id === seq.current) setStatus("error");
      },
    );
  };

  const loadMore = useCallback(() => {
    // A cursor is fetched once per list: an observer of the previous render may still fire with it
    // after its page arrived and before React re-rendered with the next cursor.
    if (!next || inflight.current === seq.current || requested.current.has(`${seq.current}:${next}`)) return;
    const id = seq.current;
    requested.current.add(`${id}:${next}`);
    inflight.current = id;
    setStatus("more");
    fetchPage(filters, next)
      .then(
        (page) => {
          if (id !== seq.current) return;
          setItems((prev) => [...prev, ...page.items]);
          setNext(page.next);
          setStatus("idle");
        },
        () => {
          if (id === seq.current) setStatus("error-more");
        },
      )
      .finally(() => {
        if (inflight.current === id) inflight.current = null;
      });
  }, [next, filters, fetchPage]);

  // Infinite scroll: load the next page when the end of the list comes near the viewport. A new
  // observer per page fires at once if the end is still visible, so short pages chain.
  useEffect(() => {
    const el = sentinel.current;
    if (!el || !next || status === "error-more" || status === "reloading") return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) loadMore();
    }, { rootMargin: "400px 0px" });
    observer.observe(el);
    return () => observer.disconnect();
  }, [next, loadMore, status]);

  const filtered = FILTER_KEYS.some((k) => filters[k]);
  const eventNames = filters.event && !facets.events.includes(filters.event) ? [filters.event, ...facets.events] : facets.events;
  const days: { key: string; label: string; items: TimelineEvent[] }[] = [];
  for (const item of items) {
    const key = dayKey(item.timestamp, local);
    let day = days.at(-1);
    if (!day || day.key !== key) days.push((day = { key, label: dayLabel(item.timestamp, local), items: [] }));
    day.items.push(item);
  }

  return (
    <Card role="region" aria-labelledby="timeline-heading">
      <CardHeader className="gap-3">
        <div>
          <CardTitle id="timeline-heading">Timeline</CardTitle>
          <CardDescription>
            {kind === "account" ? "Group calls that linked people to this account, newest first." : `${eventCount.toLocaleString("en")} ${eventCount === 1 ? "event" : "events"} from every source, newest first. Open one for its full JSON.`}
          </CardDescription>
        </div>
        <div className="flex flex-wrap items-center gap-2" role="group" aria-label="Timeline filters">
          <NativeSelect aria-label="Filter by type" className="h-8 w-auto min-w-32 text-xs" value={filters.type} onChange={(e) => applyFilters({ ...filters, type: e.target.value })}>
            <option value="">All types</option>
            {facets.types.map((t) => <option key={t} value={t}>{t}</option>)}
          </NativeSelect>
          <NativeSelect aria-label="Filter by source" className="h-8 w-auto min-w-36 text-xs" value={filters.source} onChange={(e) => applyFilters({ ...filters, source: e.target.value })}>
            <option value="">All sources</option>
            {facets.sources.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
          </NativeSelect>
          <NativeSelect aria-label="Filter by event name" className="h-8 w-auto min-w-40 max-w-64 text-xs" value={filters.event} onChange={(e) => applyFilters({ ...filters, event: e.target.value })}>
            <option value="">All events</option>
            {eventNames.map((n) => <option key={n} value={n}>{n}</option>)}
          </NativeSelect>
          {filtered && (
            <Button variant="ghost" size="sm" onClick={() => applyFilters({ type: "", source: "", event: "" })}>Clear filters</Button>
          )}
          {status === "reloading" && <Spinner label="Loading events…" className="text-neutral-400" />}
        </div>
      </CardHeader>
      <CardContent>
        {status === "error" ? (
          <div role="alert" className="flex items-center justify-between gap-3 rounded-lg border border-red-200 bg-red-50 p-3 text-sm text-red-800">
            Could not load the events.
            <Button variant="outline" size="sm" onClick={() => applyFilters(filters)}>Try again</Button>
          </div>
        ) : items.length === 0 ? (
          filtered ? (
            <EmptyState
              icon={SearchX}
              title="No events match these filters"
              description="Try another type, source or event name, or clear the filters to see the whole timeline."
              action={<Button variant="outline" size="sm" onClick={() => applyFilters({ type: "", source: "", event: "" })}>Clear filters</Button>}
              className="py-8"
            />
          ) : (
            <EmptyState
              icon={Activity}
              title="No events yet"
              description={kind === "account" ? "Group calls that link people to this account show up here." : "Events sent with any of this profile's identifiers show up here within seconds of arriving."}
              className="py-8"
            />
          )
        ) : (
          <div className={status === "reloading" ? "opacity-60 transition-opacity" : undefined} data-testid="timeline">
            {days.map((day) => (
              <section key={day.key} aria-label={day.label} className="mb-4 last:mb-0">
                <h3 className="sticky top-14 z-10 bg-white/95 md:top-0 py-1.5 text-xs font-semibold uppercase tracking-wide text-neutral-500 backdrop-blur">{day.label}</h3>
                <ul className="divide-y divide-neutral-100 rounded-lg border border-neutral-200">
                  {day.items.map((item) => <TimelineRow key={item.id} item={item} piiMasked={piiMasked} />)}
                </ul>
              </section>
            ))}
            <div ref={sentinel} aria-hidden />
            <div className="mt-3 flex items-center justify-center text-sm text-neutral-500">
              {next ? (
                status === "error-more" ? (
                  <Button variant="outline" size="sm" onClick={loadMore}>Could not load more. Try again</Button>
                ) : (
                  <Button variant="ghost" size="sm" onClick={loadMore} disabled={status === "more"}>
                    {status === "more" ? <><Spinner label="Loading older events…" /> Loading older events…</> : "Load older events"}
                  </Button>
                )
              ) : (
                <p data-testid="timeline-end">{filtered ? "No older matching events." : "That's the first event of this profile."}</p>
              )}
            </div>
          </div>
        )}
      </CardContent>
    </Card>
  );
}

function TimelineRow({ item, piiMasked }: { item: TimelineEvent; piiMasked: boolean }) {
  return (
    <li data-testid="timeline-event">
      <details className="group">
        <summary className="flex cursor-pointer list-none items-start gap-3 px-3 py-2.5 hover:bg-neutral-50 [&::-webkit-details-marker]:hidden">
          <ChevronRight aria-hidden className="mt-0.5 size-4 shrink-0 text-neutral-400 transition-transform group-open:rotate-90" />
          <Badge variant={TYPE_BADGES[item.type] ?? "outline"} className="mt-px w-16 justify-center">{item.type}</Badge>
          <span className="min-w-0 flex-1">
            <span className="block truncate text-sm font-medium text-neutral-900" data-testid="timeline-summary">{item.summary}</span>
            {item.detail && <span className="block truncate text-xs text-neutral-500">{item.detail}</span>}
          </span>
          <span className="shrink-0 text-right text-xs text-neutral-500">
            <LocalTime iso={item.timestamp} format="time" className="block tabular-nums" />
            {item.source && <span className="block max-w-36 truncate">{item.source.name}</span>}
          </span>
        </summary>
        <div className="space-y-3 border-t border-neutral-100 bg-neutral-50 px-3 py-3">
          <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 gap-y-1 text-xs">
            <dt className="text-neutral-500">Happened</dt>
            <dd><LocalTime iso={item.timestamp} /></dd>
            <dt className="text-neutral-500">Received</dt>
            <dd><LocalTime iso={item.receivedAt} /></dd>
            <dt className="text-neutral-500">Source</dt>
            <dd>{item.source?.name ?? "unknown"}</dd>
            <dt className="text-neutral-500">Message ID</dt>
            <dd className="truncate font-mono">{item.messageId}</dd>
            <dt className="text-neutral-500">Linked by</dt>
            <dd className="truncate">{IDENTIFIER_LABELS[item.via.type] ?? item.via.type} <span className="font-mono">{item.via.value}</span></dd>
          </dl>
          {piiMasked && <p className="text-xs text-neutral-500">Contact details in this event are masked for your role.</p>}
          <pre className="max-h-96 overflow-auto rounded-md bg-neutral-950 p-3 text-xs leading-relaxed text-neutral-100" data-testid="timeline-json">{JSON.stringify(item.json, null, 2)}</pre>
        </div>
      </details>
    </li>
  );
}
