// Streaming RFC 4180 CSV parser. Bytes are decoded with a StringDecoder (a multi-byte character
// split across chunks is completed by the next chunk) and scanned once per record; only the
// incomplete record at the end of a chunk is carried over, so memory stays bounded by the chunk
// size plus one record. Lenient where real exports are sloppy: text after a closing quote is kept,
// a quote inside an unquoted field is literal, and LF, CRLF and lone CR all end a record.
import { StringDecoder } from "node:string_decoder";

export const CSV_DELIMITERS = [",", ";", "\t"] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

/** A record longer than this is refused: it is almost always an unterminated quote. */
export const MAX_RECORD_CHARS = 1024 * 1024;

export interface CsvRecord {
  fields: string[];
  /** 1-based number of the record among non-blank records (the header is record 1). */
  record: number;
  /** 1-based physical line on which the record starts. */
  line: number;
}

export class CsvError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
    this.name = "CsvError";
  }
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * Push-style parser: feed text with push(), get complete records back; end() flushes the last
 * record. Blank lines are skipped (they are not records).
 */
export class CsvParser {
  private rest = "";
  private line = 1;
  private record = 0;
  private readonly delim: number;

  constructor(delimiter: CsvDelimiter = ",") {
    this.delim = delimiter.charCodeAt(0);
  }

  push(text: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    this.rest = this.scan(this.rest.length === 0 ? text : this.rest + text, false, out);
    return out;
  }

  end(): CsvRecord[] {
    const out: CsvRecord[] = [];
    this.rest = this.scan(this.rest, true, out);
    return out;
  }

  /** Parses as many complete records as `s` holds; returns the unparsed tail. */
  private scan(s: string, final: boolean, out: CsvRecord[]): string {
    const len = s.length;
    const delim = this.delim;
    let pos = 0;
    while (pos < len) {
      const start = pos;
      const startLine = this.line;
      let line = this.line;
      const fields: string[] = [];
      let i = pos;
      let complete = false;
      // One record: fields until a line break outside quotes.
      for (;;) {
        if (i >= len) {
          // End of input inside an unquoted field (or right after a delimiter).
          if (!final) break;
          fields.push(s.slice(pos, i));
          complete = true;
          break;
        }
        if (s.charCodeAt(i) === QUOTE) {
          let value = "";
          let from = i + 1;
          let j = from;
          let closed = false;
          for (;;) {
            const q = s.indexOf('"', j);
            if (q === -1) break;
            if (q + 1 < len && s.charCodeAt(q + 1) === QUOTE) {
              value += s.slice(from, q + 1);
              from = j = q + 2;
              continue;
            }
            if (q + 1 >= len && !final) break; // cannot tell "" from a closing quote yet
            value += s.slice(from, q);
            j = q + 1;
            closed = true;
            break;
          }
          if (!closed) {
            if (!final) break;
            throw new CsvError("a quoted field is not closed (missing \")", startLine);
          }
          for (let k = i + 1; k < j; k++) if (s.charCodeAt(k) === LF || (s.charCodeAt(k) === CR && s.charCodeAt(k + 1) !== LF)) line++;
          // Text after the closing quote belongs to the field (lenient).
          let k = j;
          while (k < len) {
            const c = s.charCodeAt(k);
            if (c === delim || c === LF || c === CR) break;
            k++;
          }
          if (k >= len && !final) break;
          fields.push(k > j ? value + s.slice(j, k) : value);
          i = k;
        } else {
          let k = i;
          while (k < len) {
            const c = s.charCodeAt(k);
            if (c === delim || c === LF || c === CR) break;
            k++;
          }
          if (k >= len && !final) break;
          fields.push(s.slice(i, k));
          i = k;
        }
        // i is at a delimiter, a line break or the end of the input.
        if (i >= len) {
          complete = true;
          break;
        }
        const c = s.charCodeAt(i);
        if (c === delim) {
          i++;
          pos = i;
          if (i >= len && final) {
            fields.push("");
            complete = true;
            break;
          }
          continue;
        }
        if (c === CR) {
          if (i + 1 >= len && !final) break; // CRLF may be split across chunks
          i += s.charCodeAt(i + 1) === LF ? 2 : 1;
        } else {
          i++;
        }
        line++;
        complete = true;
        break;
      }
      if (!complete) {
        if (len - start > MAX_RECORD_CHARS) throw new CsvError(`a record is longer than ${MAX_RECORD_CHARS} characters (is a quote not closed?)`, startLine);
        return s.slice(start);
      }
      pos = i;
      this.line = line;
      if (fields.length === 1 && fields[0] === "" && s.charCodeAt(start) !== QUOTE) continue; // blank line
      out.push({ fields, record: ++this.record, line: startLine });
    }
    return "";
  }
}

/** Decodes UTF-8 bytes chunk by chunk, dropping a leading byte order mark. */
export class Utf8ChunkDecoder {
  private decoder = new StringDecoder("utf8");
  private first = true;

  write(chunk: Buffer | Uint8Array | string): string {
    let text = typeof chunk === "string" ? chunk : this.decoder.write(chunk as Buffer);
    if (this.first && text.length > 0) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return text;
  }

  end(): string {
    const text = this.decoder.end();
    if (this.first && text.charCodeAt(0) === 0xfeff) return text.slice(1);
    return text;
  }
}

/**
 * Records of a byte stream, a batch per input chunk (one await per chunk rather than per row keeps
 * a million rows fast). Stops reading when the consumer stops iterating.
 */
export async function* parseCsvBatches(source: AsyncIterable<Buffer | Uint8Array | string> | Iterable<Buffer | Uint8Array | string>, options: { delimiter?: CsvDelimiter } = {}): AsyncGenerator<CsvRecord[]> {
  const decoder = new Utf8ChunkDecoder();
  const parser = new CsvParser(options.delimiter ?? ",");
  for await (const chunk of source) {
    const records = parser.push(decoder.write(chunk));
    if (records.length > 0) yield records;
  }
  const tail = parser.push(decoder.end());
  const last = parser.end();
  if (tail.length + last.length > 0) yield tail.concat(last);
}

/** Record by record; convenient for small inputs and tests. */
export async function* parseCsv(source: AsyncIterable<Buffer | Uint8Array | string> | Iterable<Buffer | Uint8Array | string>, options: { delimiter?: CsvDelimiter } = {}): AsyncGenerator<CsvRecord> {
  for await (const batch of parseCsvBatches(source, options)) yield* batch;
}

/**
 * Picks the delimiter whose per-line count (outside quotes) is the most consistent over the first
 * lines of the sample: the most lines sharing the same non-zero count win, then the larger count,
 * then the order , ; tab. A sample with one column falls back to a comma.
 */
export function detectDelimiter(sample: string): CsvDelimiter {
  if (sample.charCodeAt(0) === 0xfeff) sample = sample.slice(1);
  const maxLines = 50;
  const counts = CSV_DELIMITERS.map(() => [] as number[]);
  let current = CSV_DELIMITERS.map(() => 0);
  let inQuotes = false;
  let lines = 0;
  let lineHasContent = false;
  const endLine = () => {
    if (lineHasContent) {
      current.forEach((n, d) => counts[d].push(n));
      lines++;
    }
    current = CSV_DELIMITERS.map(() => 0);
    lineHasContent = false;
  };
  for (let i = 0; i < sample.length && lines < maxLines; i++) {
    const c = sample[i];
    if (c === '"') {
      inQuotes = !inQuotes; // "" toggles twice: fine for counting
      lineHasContent = true;
    } else if (inQuotes) {
      continue;
    } else if (c === "\n" || c === "\r") {
      endLine();
    } else {
      lineHasContent = true;
      const d = CSV_DELIMITERS.indexOf(c as CsvDelimiter);
      if (d !== -1) current[d]++;
    }
  }
  // The last line of a sample cut from a bigger file may be partial: use it only when alone.
  if (lines === 0) endLine();

  let best: { d: number; agree: number; count: number } | null = null;
  counts.forEach((perLine, d) => {
    const freq = new Map<number, number>();
    for (const n of perLine) if (n > 0) freq.set(n, (freq.get(n) ?? 0) + 1);
    for (const [count, agree] of freq) {
      if (!best || agree > best.agree || (agree === best.agree && count > best.count)) best = { d, agree, count };
    }
  });
  return best ? CSV_DELIMITERS[(best as { d: number }).d] : ",";
}

/** Quotes a value for CSV output when it needs it (delimiter, quote, line break, leading space). */
export function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
