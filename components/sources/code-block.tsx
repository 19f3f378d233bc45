import { CopyButton } from "@/components/sources/copy-button";

export function CodeBlock({ title, code }: { title: string; code: string }) {
  return (
    <figure className="overflow-hidden rounded-lg border border-neutral-200">
      <figcaption className="flex items-center justify-between gap-2 border-b border-neutral-200 bg-neutral-50 px-3 py-1.5 text-sm font-medium">
        {title}
        <CopyButton value={code} label="Copy code" />
      </figcaption>
      <pre className="overflow-x-auto bg-neutral-950 p-4 text-xs leading-relaxed text-neutral-100"><code>{code}</code></pre>
    </figure>
  );
}
