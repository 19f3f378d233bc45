"use client";

import { Bar, BarChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export function TypeChart({ rows }: { rows: { type: string; accepted: number; rejected: number }[] }) {
  return (
    <div className="h-56 w-full" role="img" aria-label="Messages by type over the last 24 hours">
      <ResponsiveContainer>
        <BarChart data={rows} layout="vertical" margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
          <XAxis type="number" allowDecimals={false} tick={{ fontSize: 11 }} />
          <YAxis type="category" dataKey="type" width={70} tick={{ fontSize: 12 }} />
          <Tooltip />
          <Bar dataKey="accepted" name="Accepted" stackId="a" fill="#6366f1" isAnimationActive={false} />
          <Bar dataKey="rejected" name="Rejected" stackId="a" fill="#ef4444" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
