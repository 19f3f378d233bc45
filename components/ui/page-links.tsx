import Link from "next/link";
import { buttonVariants } from "@/components/ui/button";

/** "Page 2 of 7" with Previous / Next links (hidden when everything fits on one page). */
export function PageLinks({ page, pages, previousHref, nextHref }: { page: number; pages: number; previousHref: string | null; nextHref: string | null }) {
  if (!previousHref && !nextHref) return null;
  return (
    <nav aria-label="Pagination" className="flex items-center justify-between pt-3 text-sm text-neutral-600">
      <span>Page {page} of {pages}</span>
      <span className="flex gap-2">
        {previousHref && <Link href={previousHref} className={buttonVariants({ variant: "outline", size: "sm" })}>Previous</Link>}
        {nextHref && <Link href={nextHref} className={buttonVariants({ variant: "outline", size: "sm" })}>Next</Link>}
      </span>
    </nav>
  );
}
