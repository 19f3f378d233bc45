"use client";

import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

/** Accepted and rejected messages per minute over the last 24 hours (minutes without traffic are zero). */
export function EventsChart({ points, endMinute }: { points: { minute: string; accepted: number; rejected: number }[]; endMinute: string }) {
  const byMinute = new Map(points.map((p) => [p.minute, p]));
  const end = Date.parse(endMinute);
  const data = Array.from({ length: 24 * 60 }, (_, i) => {
    const t = end - (24 * 60 - 1 - i) * 60_000;
    const p = byMinute.get(new Date(t).toISOString());
    return { t, accepted: p?.accepted ?? 0, rejected: p?.rejected ?? 0 };
  });
  const time = (t: number) => new Date(t).toLocaleTimeString("en", { hour: "2-digit", minute: "2-digit" });
  return (
    <div className="h-56 w-full" role="img" aria-label="Events per minute over the last 24 hours">
      <ResponsiveContainer>
        <AreaChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e5e5e5" vertical={false} />
          <XAxis dataKey="t" type="number" domain={["dataMin", "dataMax"]} tickFormatter={time} tick={{ fontSize: 11 }} minTickGap={40} />
          <YAxis allowDecimals={false} tick={{ fontSize: 11 }} />
          <Tooltip labelFormatter={(t) => time(Number(t))} />
          <Area type="monotone" dataKey="accepted" name="Accepted" stroke="#4f46e5" fill="#c7d2fe" isAnimationActive={false} />
          <Area type="monotone" dataKey="rejected" name="Rejected" stroke="#dc2626" fill="#fecaca" isAnimationActive={false} />
        </AreaChart>
      </ResponsiveContainer>
    </div>
  );
}
