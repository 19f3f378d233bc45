"use client";

import { useRef, useState, type ReactNode } from "react";
import { ArrowDown, ArrowUp, X } from "lucide-react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";

export interface OrderedItem {
  id: string;
  /** Plain text name, for button labels and announcements. */
  name: string;
  content: ReactNode;
  removable?: boolean;
  invalid?: boolean;
}

/**
 * A numbered list reordered with Move up / Move down buttons (keyboard accessible: focus stays on
 * the moved item's button, and the new position is announced).
 */
export function OrderedList({
  label,
  items,
  onMove,
  onRemove,
  readOnly,
  testId,
}: {
  label: string;
  items: OrderedItem[];
  onMove: (from: number, to: number) => void;
  onRemove?: (index: number) => void;
  readOnly?: boolean;
  testId?: string;
}) {
  const buttons = useRef(new Map<string, HTMLButtonElement | null>());
  const [announcement, setAnnouncement] = useState("");

  function move(index: number, to: number, direction: "up" | "down") {
    const item = items[index];
    onMove(index, to);
    setAnnouncement(`${item.name} moved to position ${to + 1} of ${items.length}.`);
    // At the ends the pressed button disappears (disabled): keep focus on the other one.
    const atEnd = (direction === "up" && to === 0) || (direction === "down" && to === items.length - 1);
    const target = `${item.id}:${atEnd ? (direction === "up" ? "down" : "up") : direction}`;
    requestAnimationFrame(() => buttons.current.get(target)?.focus());
  }

  return (
    <>
      <ol aria-label={label} className="divide-y divide-neutral-200 rounded-lg border border-neutral-200" data-testid={testId}>
        {items.map((item, i) => (
          <li key={item.id} className={cn("flex items-center gap-3 px-3 py-2", item.invalid && "bg-red-50")} data-testid={testId ? `${testId}-item` : undefined}>
            <span className="w-6 shrink-0 text-right text-sm tabular-nums text-neutral-500" aria-hidden>
              {i + 1}.
            </span>
            <div className="min-w-0 flex-1">{item.content}</div>
            {!readOnly && (
              <div className="flex shrink-0 items-center gap-1">
                <Button
                  type="button"
                  variant="ghost"
                  size="icon"
                  className="size-8"
                  aria-label={`Move ${item.name} up`}
                  disabled={i === 0}
                  ref={(el) => void buttons.current.set(`${item.id}:up`, el)}
                  onClick={() => move(i, i - 1, "up")}
                >
                  <ArrowUp aria-hidden />
                </Button>
                <Button
                  type="button"
                  variant="ghost"
                  size="icon"
                  className="size-8"
                  aria-label={`Move ${item.name} down`}
                  disabled={i === items.length - 1}
                  ref={(el) => void buttons.current.set(`${item.id}:down`, el)}
                  onClick={() => move(i, i + 1, "down")}
                >
                  <ArrowDown aria-hidden />
                </Button>
                {onRemove && (
                  <Button
                    type="button"
                    variant="ghost"
                    size="icon"
                    className={cn("size-8", !item.removable && "invisible")}
                    aria-label={`Remove ${item.name}`}
                    disabled={!item.removable}
                    onClick={() => {
                      onRemove(i);
                      setAnnouncement(`${item.name} removed.`);
                    }}
                  >
                    <X aria-hidden />
                  </Button>
                )}
              </div>
            )}
          </li>
        ))}
      </ol>
      <p aria-live="polite" className="sr-only">
        {announcement}
      </p>
    </>
  );
}
