import type { ComponentProps, ReactNode } from "react";
import { CircleAlert, CircleCheck, Info } from "lucide-react";
import { cn } from "./cn";

const styles = {
  info: { box: "border-indigo-200 bg-indigo-50 text-indigo-900", icon: Info, role: undefined },
  error: { box: "border-red-200 bg-red-50 text-red-900", icon: CircleAlert, role: "alert" },
  success: { box: "border-emerald-200 bg-emerald-50 text-emerald-900", icon: CircleCheck, role: "status" },
} as const;

export type AlertProps = Omit<ComponentProps<"div">, "title"> & {
  variant?: keyof typeof styles;
  title?: ReactNode;
};

/** Inline message. `error` gets role="alert", `success` role="status" (override via `role`). */
export function Alert({ variant = "info", title, children, className, ...props }: AlertProps) {
  const { box, icon: Icon, role } = styles[variant];
  return (
    <div role={role} className={cn("flex gap-3 rounded-lg border p-4 text-sm", box, className)} {...props}>
      <Icon aria-hidden className="mt-0.5 size-4 shrink-0" />
      <div className="min-w-0 space-y-1">
        {title && <p className="font-medium">{title}</p>}
        {children && <div className="opacity-90">{children}</div>}
      </div>
    </div>
  );
}
