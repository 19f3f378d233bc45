import { cn } from "./cn";

/** Field-level validation messages; renders nothing when there are none. Pass `id` to reference it from aria-describedby. */
export function FieldError({ messages, id, className }: { messages?: string[]; id?: string; className?: string }) {
  if (!messages?.length) return null;
  return (
    <div id={id} role="alert" className={cn("space-y-0.5 text-sm text-red-600", className)}>
      {messages.map((message, i) => (
        <p key={i}>{message}</p>
      ))}
    </div>
  );
}
