"use client";

// A segment's size over the last 90 days, and how many people entered and left each day.
import { Area, AreaChart, Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { SegmentHistoryDay } from "@/lib/segments/segment-history";

const dayLabel = (day: string) => new Date(`${day}T00:00:00Z`).toLocaleDateString("en", { month: "short", day: "numeric", timeZone: "UTC" });

export function SegmentSizeChart({ days }: { days: SegmentHistoryDay[] }) {
  const first = days.find((d) => d.size !== null);
  const last = days.at(-1);
  // A new segment has a size for a day or two only: an area that short is invisible, dots are not.
  const known = days.filter((d) => d.size !== null).length;
  return (
    <>
    <div className="h-56 w-full" role="img" aria-label={`Segment size over the last ${days.length} days${last?.size != null ? `, now ${last.size.toLocaleString("en")}` : ""}${first ? `, starting ${dayLabel(first.day)}` : ""}`} data-testid="size-chart">
      <ResponsiveContainer>
        <AreaChart data={days} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e5e5e5" vertical={false} />
          <XAxis dataKey="day" tickFormatter={dayLabel} tick={{ fontSize: 11 }} minTickGap={40} />
          <YAxis allowDecimals={false} tick={{ fontSize: 11 }} />
          <Tooltip labelFormatter={(d) => dayLabel(String(d))} formatter={(v) => [Number(v).toLocaleString("en"), "Members"]} />
          <Area type="stepAfter" dataKey="size" name="Members" stroke="#4f46e5" strokeWidth={2} fill="#c7d2fe" isAnimationActive={false} connectNulls={false} dot={known <= 3 ? { r: 4, fill: "#4f46e5" } : false} />
        </AreaChart>
      </ResponsiveContainer>
    </div>
    {known <= 3 && first && (
      <p className="mt-2 text-xs text-neutral-500" data-testid="history-note">
        History starts {dayLabel(first.day)}: the size is recorded every day from then on.
      </p>
    )}
    </>
  );
}

export function SegmentChangesChart({ days }: { days: SegmentHistoryDay[] }) {
  const entered = days.reduce((n, d) => n + d.entered, 0);
  const exited = days.reduce((n, d) => n + d.exited, 0);
  return (
    <div className="h-44 w-full" role="img" aria-label={`Over the last ${days.length} days ${entered.toLocaleString("en")} people entered and ${exited.toLocaleString("en")} left`} data-testid="changes-chart">
      <ResponsiveContainer>
        <BarChart data={days} margin={{ top: 8, right: 8, bottom: 0, left: -16 }} barGap={0}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e5e5e5" vertical={false} />
          <XAxis dataKey="day" tickFormatter={dayLabel} tick={{ fontSize: 11 }} minTickGap={40} />
          <YAxis allowDecimals={false} tick={{ fontSize: 11 }} />
          <Tooltip labelFormatter={(d) => dayLabel(String(d))} />
          <Legend iconType="square" wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="entered" name="Entered" fill="#10b981" isAnimationActive={false} />
          <Bar dataKey="exited" name="Left" fill="#f87171" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
