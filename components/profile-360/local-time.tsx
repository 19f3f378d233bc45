"use client";

import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/**
 * False during server rendering and hydration, true afterwards: dates are shown in UTC until the
 * browser can format them in its own time zone (so hydration never mismatches).
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(subscribe, () => true, () => false);
}

const formats = {
  time: { hour: "2-digit", minute: "2-digit" },
  datetime: { dateStyle: "medium", timeStyle: "short" },
  date: { dateStyle: "medium" },
} as const satisfies Record<string, Intl.DateTimeFormatOptions>;

export function formatLocal(iso: string, format: keyof typeof formats, local: boolean): string {
  return new Intl.DateTimeFormat("en", { ...formats[format], timeZone: local ? undefined : "UTC" }).format(new Date(iso)) + (local ? "" : " UTC");
}

/** A date or time in the reader's time zone (UTC until hydrated), the exact time in the tooltip. */
export function LocalTime({ iso, format = "datetime", className }: { iso: string; format?: keyof typeof formats; className?: string }) {
  const local = useHydrated();
  return (
    <time dateTime={iso} title={new Date(iso).toISOString()} className={className}>
      {formatLocal(iso, format, local)}
    </time>
  );
}

/** "Today", "Yesterday" or the date, for day headings. */
export function dayLabel(iso: string, local: boolean, now = new Date()): string {
  const key = (d: Date) => (local ? d.toLocaleDateString("en-CA") : d.toISOString().slice(0, 10));
  const day = key(new Date(iso));
  if (local && day === key(now)) return "Today";
  if (local && day === key(new Date(now.getTime() - 86_400_000))) return "Yesterday";
  return new Intl.DateTimeFormat("en", { weekday: "short", year: "numeric", month: "short", day: "numeric", timeZone: local ? undefined : "UTC" }).format(new Date(iso));
}

/** The calendar day of a moment (local once hydrated), to group events by day. */
export function dayKey(iso: string, local: boolean): string {
  const d = new Date(iso);
  return local ? d.toLocaleDateString("en-CA") : d.toISOString().slice(0, 10);
}
