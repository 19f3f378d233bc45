import Link from "next/link";
import { buttonVariants } from "@/components/ui/button";

export default function Forbidden() {
  return (
    <main className="flex min-h-[60vh] flex-col items-center justify-center gap-3 p-6 text-center">
      <p className="text-sm font-medium text-indigo-600">403</p>
      <h1 className="text-2xl font-semibold">You don&apos;t have access to this page</h1>
      <p className="max-w-sm text-sm text-neutral-600">Your role in this workspace does not include it. An admin can change your role on the Members page.</p>
      <Link href="/" className={buttonVariants({ variant: "outline" })}>Back to overview</Link>
    </main>
  );
}
