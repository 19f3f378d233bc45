import { ListFilter, Send, ShieldCheck, type LucideIcon } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

interface SectionCopy {
  title: string;
  description: string;
  icon: LucideIcon;
  emptyTitle: string;
  emptyBody: string;
  steps: string[];
}

// What each section will hold and how to start, until its data arrives.
const SECTIONS = {
  segments: {
    title: "Segments",
    description: "Audiences built from traits and behaviour, kept up to date in real time.",
    icon: ListFilter,
    emptyTitle: "No segments yet",
    emptyBody: "Segments combine trait, event and membership conditions. Their size updates live while you build them, and people enter and leave as events arrive.",
    steps: ["Make sure profiles are arriving from a source.", "Build a segment visually: traits, events in a time window, other segments.", "Check the live size estimate and save it."],
  },
  destinations: {
    title: "Destinations",
    description: "Where audiences and events go: ad platforms, email tools, webhooks and files.",
    icon: Send,
    emptyTitle: "No destinations yet",
    emptyBody: "A destination receives segment entries and exits (and forwarded events) in batches, with retries, so ad and email audiences stay in sync.",
    steps: ["Create a segment.", "Add a destination such as a webhook or an email tool.", "Connect the segment to it and watch deliveries."],
  },
  governance: {
    title: "Governance",
    description: "Consent, privacy requests and the audit log.",
    icon: ShieldCheck,
    emptyTitle: "Nothing to govern yet",
    emptyBody: "Consent purposes decide what may be sent to each destination; privacy requests (access and deletion) and the audit log of admin actions will be managed here.",
    steps: ["Define the consent purposes your sites collect.", "Map them to destinations.", "Handle access and deletion requests from one place."],
  },
} satisfies Record<string, SectionCopy>;

export type Section = keyof typeof SECTIONS;

export function sectionTitle(section: Section): string {
  return SECTIONS[section].title;
}

export function SectionPlaceholder({ section }: { section: Section }) {
  const copy: SectionCopy = SECTIONS[section];
  return (
    <>
      <PageHeader title={copy.title} description={copy.description} />
      <EmptyState className="mt-8" icon={copy.icon} title={copy.emptyTitle} description={copy.emptyBody}>
        <ol className="mt-6 max-w-md list-decimal space-y-1 pl-5 text-left text-sm text-neutral-600">
          {copy.steps.map((s) => <li key={s}>{s}</li>)}
        </ol>
      </EmptyState>
    </>
  );
}
