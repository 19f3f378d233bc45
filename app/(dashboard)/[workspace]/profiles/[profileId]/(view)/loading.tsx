import { Card, CardContent, CardHeader } from "@/components/ui/card";

const Bar = ({ className }: { className: string }) => <div className={`animate-pulse rounded bg-neutral-200/70 ${className}`} />;

export default function Loading() {
  return (
    <div aria-busy="true" aria-live="polite">
      <span className="sr-only" role="status">Loading profile…</span>
      <Bar className="h-4 w-20" />
      <Card className="mt-3 p-6">
        <div className="flex items-center gap-4">
          <div className="size-12 animate-pulse rounded-full bg-neutral-200/70" />
          <div className="flex-1 space-y-2">
            <Bar className="h-6 w-56" />
            <Bar className="h-4 w-96 max-w-full" />
          </div>
        </div>
        <div className="mt-6 grid grid-cols-2 gap-4 border-t border-neutral-100 pt-4 sm:grid-cols-4">
          {[0, 1, 2, 3].map((i) => <Bar key={i} className="h-9" />)}
        </div>
      </Card>
      <div className="mt-6 grid gap-6 lg:grid-cols-5">
        <div className="space-y-6 lg:col-span-2">
          {[0, 1].map((i) => (
            <Card key={i}>
              <CardHeader><Bar className="h-5 w-32" /></CardHeader>
              <CardContent className="space-y-2">{[0, 1, 2].map((j) => <Bar key={j} className="h-10" />)}</CardContent>
            </Card>
          ))}
        </div>
        <Card className="lg:col-span-3">
          <CardHeader><Bar className="h-5 w-28" /><Bar className="mt-2 h-8 w-80 max-w-full" /></CardHeader>
          <CardContent className="space-y-2">{[0, 1, 2, 3, 4, 5].map((j) => <Bar key={j} className="h-11" />)}</CardContent>
        </Card>
      </div>
    </div>
  );
}
