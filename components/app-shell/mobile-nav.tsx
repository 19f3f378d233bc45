"use client";

import { useState, type ReactNode } from "react";
import { usePathname } from "next/navigation";
import * as DialogPrimitive from "@radix-ui/react-dialog";
import { Menu, X } from "lucide-react";
import { Button } from "@/components/ui/button";

/** Top bar + left drawer for screens below `md`; renders nothing visible on md+. */
export function MobileNav({ children, title = "Tessera" }: { children: ReactNode; title?: ReactNode }) {
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  // Close the drawer whenever the route changes (state adjusted during render, no effect needed).
  const [lastPathname, setLastPathname] = useState(pathname);
  if (pathname !== lastPathname) {
    setLastPathname(pathname);
    setOpen(false);
  }

  return (
    <DialogPrimitive.Root open={open} onOpenChange={setOpen}>
      <div className="sticky top-0 z-40 flex h-14 items-center gap-2 border-b border-neutral-200 bg-white px-3 md:hidden">
        <DialogPrimitive.Trigger asChild>
          <Button variant="ghost" size="icon" aria-label="Open navigation">
            <Menu aria-hidden />
          </Button>
        </DialogPrimitive.Trigger>
        <span className="truncate text-sm font-semibold text-neutral-900">{title}</span>
      </div>
      <DialogPrimitive.Portal>
        <DialogPrimitive.Overlay className="fixed inset-0 z-50 bg-neutral-950/40 md:hidden motion-safe:data-[state=open]:animate-fade-in" />
        <DialogPrimitive.Content
          aria-describedby={undefined}
          className="fixed inset-y-0 left-0 z-50 flex w-72 max-w-[85vw] flex-col overflow-y-auto border-r border-neutral-200 bg-white p-4 shadow-xl md:hidden motion-safe:data-[state=open]:animate-slide-in-left"
        >
          <div className="mb-4 flex items-center justify-between">
            <DialogPrimitive.Title className="text-sm font-semibold text-neutral-900">Navigation</DialogPrimitive.Title>
            <DialogPrimitive.Close asChild>
              <Button variant="ghost" size="icon" aria-label="Close navigation">
                <X aria-hidden />
              </Button>
            </DialogPrimitive.Close>
          </div>
          {children}
        </DialogPrimitive.Content>
      </DialogPrimitive.Portal>
    </DialogPrimitive.Root>
  );
}
