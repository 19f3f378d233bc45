import type { LucideIcon } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

/** A section whose data has not arrived yet: what it will hold and how to start. */
export function SectionPlaceholder(props: { title: string; description: string; icon: LucideIcon; emptyTitle: string; emptyBody: React.ReactNode; steps: string[] }) {
  return (
    <>
      <PageHeader title={props.title} description={props.description} />
      <EmptyState className="mt-8" icon={props.icon} title={props.emptyTitle} description={props.emptyBody}>
        <ol className="mt-6 max-w-md list-decimal space-y-1 pl-5 text-left text-sm text-neutral-600">
          {props.steps.map((s) => <li key={s}>{s}</li>)}
        </ol>
      </EmptyState>
    </>
  );
}
