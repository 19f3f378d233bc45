import Form from "next/form";
import { Search } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";

/** A list page's search box: a GET form that puts the text in `?q=`. */
export function ListSearchForm({ action, label, inputLabel, placeholder, query }: { action: string; label: string; inputLabel: string; placeholder: string; query: string }) {
  return (
    <Form action={action} role="search" aria-label={label} className="mb-4 flex max-w-md items-center gap-2">
      <div className="relative flex-1">
        <Search aria-hidden className="pointer-events-none absolute left-3 top-1/2 size-4 -translate-y-1/2 text-neutral-400" />
        <Input type="search" name="q" defaultValue={query} key={query} placeholder={placeholder} aria-label={inputLabel} className="pl-9" maxLength={200} />
      </div>
      <Button type="submit" variant="outline">Search</Button>
    </Form>
  );
}
