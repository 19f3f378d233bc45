"use client";

import { Button } from "@/components/ui/button";

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="flex min-h-[60vh] flex-col items-center justify-center gap-3 p-6 text-center">
      <p className="text-sm font-medium text-red-600">Error</p>
      <h1 className="text-2xl font-semibold">Something went wrong</h1>
      <p className="max-w-md text-sm text-neutral-600">
        Tessera could not load this page. If the database was just restarted, trying again usually works.
        {error.digest && <span className="mt-2 block font-mono text-xs text-neutral-400">Reference: {error.digest}</span>}
      </p>
      <Button onClick={reset} variant="outline">Try again</Button>
    </main>
  );
}
