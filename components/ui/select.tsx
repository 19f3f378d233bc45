import { forwardRef, type SelectHTMLAttributes } from "react";
import { cn } from "./cn";
import { fieldClasses } from "./input";

/** Styled native <select>; works in plain HTML forms (name=, defaultValue, required…). */
export const NativeSelect = forwardRef<HTMLSelectElement, SelectHTMLAttributes<HTMLSelectElement>>(
  ({ className, ...props }, ref) => (
    <select
      ref={ref}
      className={cn(fieldClasses, "h-9 appearance-none py-1 pr-9 select-chevron", className)}
      {...props}
    />
  ),
);
NativeSelect.displayName = "NativeSelect";
