import { fieldId } from "@/components/segments/rule-draft";

/** The problems of one rule field, under it; the field points here with aria-describedby. */
export function FieldProblems({ path, messages }: { path: string; messages?: string[] }) {
  if (!messages?.length) return null;
  return (
    <div id={`${fieldId(path)}-problems`} className="mt-1 space-y-0.5 text-xs text-red-600" data-testid="field-problem">
      {messages.map((m, i) => (
        <p key={i}>{m}</p>
      ))}
    </div>
  );
}

/** aria props of a field with these problems. */
export const invalidProps = (path: string, messages?: string[]) =>
  messages?.length ? { "aria-invalid": true as const, "aria-describedby": `${fieldId(path)}-problems` } : {};
