"use client";

import { useRef, useState } from "react";
import { Upload } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/select";
import { FieldError } from "@/components/ui/form-message";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { cancelImportAction, startImportAction } from "@/app/(dashboard)/[workspace]/sources/[sourceId]/import/actions";
import type { UploadAnalysis } from "@/lib/imports/analyze-upload";
import { VALUE_TYPES, type ColumnMapping, type ImportMapping } from "@/lib/imports/import-mapping";

export type Uploaded = { importId: string; analysis: UploadAnalysis; savedMapping: ImportMapping | null };
type Mode = ImportMapping["mode"];

const AS_OPTIONS: { value: ColumnMapping["as"]; label: string; track?: boolean }[] = [
  { value: "ignore", label: "Ignore" },
  { value: "user_id", label: "User ID" },
  { value: "email", label: "Email" },
  { value: "phone", label: "Phone" },
  { value: "external_id", label: "Custom identifier…" },
  { value: "anonymous_id", label: "Anonymous ID" },
  { value: "trait", label: "Trait…" },
  { value: "event_name", label: "Event name", track: true },
  { value: "timestamp", label: "Timestamp", track: true },
  { value: "property", label: "Event property…", track: true },
];

const keyOf = (header: string) => header.trim().toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "") || "field";

/** A first guess from the column name; the admin corrects what is wrong. */
function guess(header: string): ColumnMapping {
  const k = keyOf(header);
  if (/e_?mail/.test(k)) return { as: "email" };
  if (/phone|mobile|tel/.test(k)) return { as: "phone" };
  if (/^(user_?id|customer_?id|userid)$/.test(k)) return { as: "user_id" };
  if (/(loyalty|crm|pos|member)_?(id|number|no)$/.test(k)) return { as: "external_id", idType: k.replace(/_?(number|no)$/, "_id") };
  if (/^(event|event_name|action)$/.test(k)) return { as: "event_name" };
  if (/^(timestamp|time|date|occurred_at|created_at)$/.test(k)) return { as: "timestamp" };
  return { as: "trait", trait: k, type: "string" };
}

function initialColumns(headers: string[], saved: ImportMapping | null, mode: Mode): Record<string, ColumnMapping> {
  return Object.fromEntries(
    headers.map((h) => {
      const fromSaved = saved?.columns[h];
      if (fromSaved) return [h, fromSaved];
      const g = guess(h);
      if (mode === "identify" && (g.as === "event_name" || g.as === "timestamp")) return [h, { as: "ignore" }];
      return [h, g];
    }),
  );
}

export function ImportWizard({ slug, sourceId, initial, onStarted }: { slug: string; sourceId: string; initial: Uploaded | null; onStarted: () => void }) {
  const [uploaded, setUploaded] = useState<Uploaded | null>(initial);
  const [progress, setProgress] = useState<number | null>(null);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  const upload = (file: File) => {
    setUploadError(null);
    setProgress(0);
    // XHR rather than fetch: it reports upload progress for large files.
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api/workspaces/${slug}/sources/${sourceId}/imports`);
    xhr.setRequestHeader("Content-Type", "text/csv");
    xhr.setRequestHeader("X-File-Name", encodeURIComponent(file.name));
    xhr.upload.onprogress = (e) => e.lengthComputable && setProgress(Math.round((e.loaded / e.total) * 100));
    xhr.onload = () => {
      setProgress(null);
      let body: { error?: { message?: string } } | Uploaded = {};
      try {
        body = JSON.parse(xhr.responseText || "{}");
      } catch {
        // not JSON (e.g. a proxy's error page): the status says enough
      }
      if (xhr.status >= 200 && xhr.status < 300) setUploaded(body as Uploaded);
      else setUploadError(("error" in body && body.error?.message) || `Upload failed (${xhr.status}).`);
    };
    xhr.onerror = () => {
      setProgress(null);
      setUploadError("Upload failed: the connection was interrupted.");
    };
    xhr.send(file);
  };

  if (!uploaded) {
    return (
      <Card>
        <CardHeader>
          <CardTitle as="h3">Import a CSV file</CardTitle>
          <CardDescription>Exports from a CRM, point of sale or email platform: UTF-8, comma, semicolon or tab separated, with a header row. Up to 1,000,000 rows / 100 MB.</CardDescription>
        </CardHeader>
        <CardContent className="space-y-3">
          {uploadError && <Alert variant="error">{uploadError}</Alert>}
          <div className="flex flex-wrap items-center gap-3">
            <Label htmlFor="csv-file" className="sr-only">CSV file</Label>
            <Input ref={fileRef} id="csv-file" type="file" accept=".csv,.tsv,.txt,text/csv" className="max-w-sm" onChange={(e) => e.target.files?.[0] && upload(e.target.files[0])} disabled={progress !== null} />
            {progress !== null && (
              <span className="inline-flex items-center gap-2 text-sm text-neutral-600" role="status">
                <Upload aria-hidden className="size-4" /> Uploading… {progress} %
              </span>
            )}
          </div>
        </CardContent>
      </Card>
    );
  }
  const discard = () => {
    void cancelImportAction(slug, { importId: uploaded.importId }); // the draft is not needed any more
    setUploaded(null);
  };
  return <MappingForm slug={slug} uploaded={uploaded} onCancel={discard} onStarted={() => { setUploaded(null); onStarted(); }} />;
}

function MappingForm({ slug, uploaded, onCancel, onStarted }: { slug: string; uploaded: Uploaded; onCancel: () => void; onStarted: () => void }) {
  const { analysis } = uploaded;
  const [mode, setMode] = useState<Mode>(uploaded.savedMapping?.mode ?? "identify");
  const [columns, setColumns] = useState(() => initialColumns(analysis.headers, uploaded.savedMapping, uploaded.savedMapping?.mode ?? "identify"));
  const [eventName, setEventName] = useState(uploaded.savedMapping?.eventName ?? "");
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const setColumn = (header: string, next: ColumnMapping) => setColumns((c) => ({ ...c, [header]: next }));
  // Event-only choices do not exist for people, and an event file deserves fresh guesses for
  // columns that were ignored as a person file.
  const changeMode = (next: Mode) => {
    setMode(next);
    setColumns((cols) =>
      Object.fromEntries(
        Object.entries(cols).map(([h, c]) => {
          if (next === "identify" && AS_OPTIONS.find((o) => o.value === c.as)?.track) return [h, { as: "ignore" } as ColumnMapping];
          if (next === "track" && c.as === "ignore") {
            const g = guess(h);
            if (g.as === "event_name" || g.as === "timestamp") return [h, g];
          }
          return [h, c];
        }),
      ),
    );
  };
  const changeAs = (header: string, as: ColumnMapping["as"]) => {
    const k = keyOf(header);
    const next: ColumnMapping =
      as === "trait" ? { as, trait: k, type: "string" } : as === "property" ? { as, property: k, type: "string" } : as === "external_id" ? { as, idType: k } : ({ as } as ColumnMapping);
    setColumn(header, next);
  };

  const submit = async () => {
    setPending(true);
    setMessage(null);
    // Ignored columns are sent too, so the saved mapping remembers them for the next file.
    const mapping = { mode, columns, ...(mode === "track" && eventName.trim() ? { eventName: eventName.trim() } : {}) };
    const result = await startImportAction(slug, { importId: uploaded.importId, mapping });
    setPending(false);
    if (result.ok) return onStarted();
    setErrors(result.error.fieldErrors ?? {});
    setMessage(result.error.message);
  };

  return (
    <Card>
      <CardHeader>
        <CardTitle as="h3">Map the columns of {analysis.totalRows.toLocaleString("en")} rows</CardTitle>
        <CardDescription>
          Separator detected: {analysis.delimiter === "\t" ? "tab" : `"${analysis.delimiter}"`}. Tell Tessera what each column is; rows with bad values are skipped and listed, the rest import.
        </CardDescription>
      </CardHeader>
      <CardContent className="space-y-5">
        {analysis.warnings.map((w) => <Alert key={w} variant="info">{w}</Alert>)}
        {message && <Alert variant="error">{message}</Alert>}
        <FieldError messages={errors.columns ?? errors.mapping} />
        <fieldset className="flex flex-wrap gap-4 text-sm">
          <legend className="mb-1 w-full font-medium">Each row is</legend>
          {([["identify", "a person (identify: identifiers and traits)"], ["track", "an event (track: who did what, when)"]] as const).map(([m, label]) => (
            <label key={m} className="inline-flex items-center gap-2">
              <input type="radio" name="mode" value={m} checked={mode === m} onChange={() => changeMode(m)} className="accent-indigo-600" /> {label}
            </label>
          ))}
        </fieldset>
        {mode === "track" && (
          <div className="max-w-sm space-y-1.5">
            <Label htmlFor="event-name">Event name for every row <span className="font-normal text-neutral-500">(unless a column holds it)</span></Label>
            <Input id="event-name" value={eventName} onChange={(e) => setEventName(e.target.value)} placeholder="Store Purchase" aria-invalid={!!errors.eventName} />
            <FieldError messages={errors.eventName} />
          </div>
        )}
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>Column</TableHead>
              <TableHead>Sample values</TableHead>
              <TableHead>Import as</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {analysis.headers.map((h, i) => {
              const c = columns[h];
              const problems = errors[`columns.${h}`];
              return (
                <TableRow key={h} data-testid={`mapping-${h}`}>
                  <TableCell className="font-medium">{h}</TableCell>
                  <TableCell className="max-w-56 truncate text-neutral-600">{analysis.preview.slice(0, 3).map((r) => r[i]).filter(Boolean).join(", ")}</TableCell>
                  <TableCell>
                    <div className="flex flex-wrap items-center gap-2">
                      <NativeSelect aria-label={`Import ${h} as`} value={c.as} onChange={(e) => changeAs(h, e.target.value as ColumnMapping["as"])} className="w-48">
                        {AS_OPTIONS.filter((o) => !o.track || mode === "track").map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
                      </NativeSelect>
                      {c.as === "external_id" && <Input aria-label={`Identifier type of ${h}`} value={c.idType} onChange={(e) => setColumn(h, { ...c, idType: e.target.value })} className="w-40" />}
                      {(c.as === "trait" || c.as === "property") && (
                        <>
                          <Input aria-label={`${c.as === "trait" ? "Trait" : "Property"} name of ${h}`} value={c.as === "trait" ? c.trait : c.property} onChange={(e) => setColumn(h, c.as === "trait" ? { ...c, trait: e.target.value } : { ...c, property: e.target.value })} className="w-40" />
                          <NativeSelect aria-label={`Type of ${h}`} value={c.type} onChange={(e) => setColumn(h, { ...c, type: e.target.value as (typeof VALUE_TYPES)[number] })} className="w-28">
                            {VALUE_TYPES.map((t) => <option key={t} value={t}>{t}</option>)}
                          </NativeSelect>
                        </>
                      )}
                    </div>
                    <FieldError messages={problems} />
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
        <div className="flex gap-2">
          <Button onClick={submit} disabled={pending}>{pending ? "Starting…" : `Import ${analysis.totalRows.toLocaleString("en")} rows`}</Button>
          <Button variant="outline" onClick={onCancel} disabled={pending}>Choose another file</Button>
        </div>
      </CardContent>
    </Card>
  );
}
