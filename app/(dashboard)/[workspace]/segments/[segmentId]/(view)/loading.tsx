// Shown while a segment's page loads (its charts and members come from several queries).
export default function SegmentLoading() {
  return (
    <div aria-busy="true" role="status">
      <span className="sr-only">Loading segment…</span>
      <div className="h-4 w-24 animate-pulse rounded bg-neutral-100" />
      <div className="mt-4 h-7 w-64 animate-pulse rounded bg-neutral-200" />
      <div className="mt-6 h-24 animate-pulse rounded-xl bg-neutral-100" />
      <div className="mt-6 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        {Array.from({ length: 4 }, (_, i) => (
          <div key={i} className="h-24 animate-pulse rounded-xl bg-neutral-100" />
        ))}
      </div>
      <div className="mt-6 grid gap-6 lg:grid-cols-2">
        <div className="h-72 animate-pulse rounded-xl bg-neutral-100" />
        <div className="h-72 animate-pulse rounded-xl bg-neutral-100" />
      </div>
    </div>
  );
}
