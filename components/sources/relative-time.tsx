"use client";

import { useEffect, useState } from "react";

function describe(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 5) return "just now";
  if (s < 60) return `${s} s ago`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.round(h / 24)} days ago`;
}

/** "3 min ago", kept current; the exact time is in the tooltip. */
export function RelativeTime({ iso }: { iso: string }) {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    const tick = () => setNow(Date.now());
    tick();
    const timer = setInterval(tick, 15_000);
    return () => clearInterval(timer);
  }, []);
  const at = new Date(iso);
  return (
    <time dateTime={iso} title={at.toLocaleString("en")}>
      {now === null ? at.toISOString().slice(0, 16).replace("T", " ") : describe(now - at.getTime())}
    </time>
  );
}
