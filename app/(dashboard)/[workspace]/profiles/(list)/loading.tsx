import { ProfilesTableSkeleton } from "@/components/profiles/profiles-table";

// Shown while a profiles page (the explorer, or a profile until its own placeholder takes over)
// loads: neutral blocks in the page's layout rather than words that would fit only one of them.
export default function ProfilesLoading() {
  return (
    <div aria-busy="true">
      <div className="mb-6 space-y-2">
        <div className="h-7 w-40 animate-pulse rounded bg-neutral-200" />
        <div className="h-4 w-96 max-w-full animate-pulse rounded bg-neutral-100" />
      </div>
      <div className="mb-6 flex items-center justify-between gap-3">
        <div className="h-9 w-full max-w-xl animate-pulse rounded-md bg-neutral-100" />
        <div className="hidden h-9 w-48 animate-pulse rounded-md bg-neutral-100 sm:block" />
      </div>
      <ProfilesTableSkeleton label="Loading…" />
    </div>
  );
}
