// Shown while the computed traits list (or a trait's page) loads: blocks in the list's layout.
export default function ComputedTraitsLoading() {
  return (
    <div aria-busy="true" aria-label="Loading computed traits">
      <div className="mb-6 space-y-2">
        <div className="h-7 w-48 animate-pulse rounded bg-neutral-200" />
        <div className="h-4 w-[32rem] max-w-full animate-pulse rounded bg-neutral-100" />
      </div>
      <div className="mb-4 h-9 w-full max-w-md animate-pulse rounded-md bg-neutral-100" />
      <div className="space-y-2 rounded-xl border border-neutral-200 bg-white p-4">
        {Array.from({ length: 5 }, (_, i) => (
          <div key={i} className="h-8 animate-pulse rounded bg-neutral-100" />
        ))}
      </div>
    </div>
  );
}
