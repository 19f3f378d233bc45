// Shown while the segments list loads. (Pages that refuse some roles have none: a streamed page
// could no longer answer 403.)
export default function SegmentsLoading() {
  return (
    <div aria-busy="true" role="status">
      <span className="sr-only">Loading…</span>
      <div className="mb-6 space-y-2">
        <div className="h-7 w-48 animate-pulse rounded bg-neutral-200" />
        <div className="h-4 w-96 max-w-full animate-pulse rounded bg-neutral-100" />
      </div>
      <div className="space-y-3 rounded-xl border border-neutral-200 bg-white p-4">
        {Array.from({ length: 5 }, (_, i) => (
          <div key={i} className="flex items-center gap-6">
            <div className="h-4 w-56 animate-pulse rounded bg-neutral-200" />
            <div className="ml-auto h-4 w-16 animate-pulse rounded bg-neutral-100" />
            <div className="h-4 w-24 animate-pulse rounded bg-neutral-100" />
          </div>
        ))}
      </div>
    </div>
  );
}
