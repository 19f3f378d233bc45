import type { ReactNode } from "react";
import type { LucideIcon } from "lucide-react";
import { cn } from "./cn";

export interface EmptyStateProps {
  icon?: LucideIcon;
  title: string;
  description: ReactNode;
  action?: ReactNode;
  children?: ReactNode;
  className?: string;
}

export function EmptyState({ icon: Icon, title, description, action, children, className }: EmptyStateProps) {
  return (
    <div
      className={cn(
        "flex flex-col items-center justify-center rounded-xl border border-dashed border-neutral-300 bg-white px-6 py-12 text-center",
        className,
      )}
    >
      {Icon && (
        <div className="mb-4 flex size-12 items-center justify-center rounded-full bg-indigo-50 text-indigo-600">
          <Icon aria-hidden className="size-6" />
        </div>
      )}
      <h2 className="text-base font-semibold text-neutral-900">{title}</h2>
      <p className="mt-1 max-w-md text-sm text-neutral-600">{description}</p>
      {action && <div className="mt-6 flex flex-wrap items-center justify-center gap-2">{action}</div>}
      {children}
    </div>
  );
}
