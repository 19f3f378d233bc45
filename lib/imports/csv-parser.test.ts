import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CsvError, CsvParser, csvField, detectDelimiter, parseCsv, parseCsvBatches, type CsvDelimiter } from "@/lib/imports/csv-parser";

/** Whole-input parse through the streaming API, the input cut at the given byte offsets. */
async function parseChunks(chunks: (Buffer | string)[], delimiter: CsvDelimiter = ",") {
  const out: { fields: string[]; record: number; line: number }[] = [];
  for await (const r of parseCsv((async function* () { yield* chunks; })(), { delimiter })) out.push(r);
  return out;
}
const fieldsOf = async (text: string, delimiter: CsvDelimiter = ",") => (await parseChunks([Buffer.from(text)], delimiter)).map((r) => r.fields);

function splitAt(buf: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((a, b) => a - b);
  const parts: Buffer[] = [];
  let prev = 0;
  for (const p of points) {
    parts.push(buf.subarray(prev, p));
    prev = p;
  }
  parts.push(buf.subarray(prev));
  return parts;
}

/** Reference encoder: every field quoted when needed. */
const encode = (rows: string[][], d: string, eol: string) => rows.map((r) => r.map((f) => (/["\r\n]/.test(f) || f.includes(d) || f === "" ? `"${f.replace(/"/g, '""')}"` : f)).join(d)).join(eol);

describe("CSV parser", () => {
  it("reads plain rows, LF and CRLF, and a missing final newline", async () => {
    expect(await fieldsOf("a,b,c\n1,2,3\n")).toEqual([["a", "b", "c"], ["1", "2", "3"]]);
    expect(await fieldsOf("a,b\r\n1,2\r\n3,4")).toEqual([["a", "b"], ["1", "2"], ["3", "4"]]);
    expect(await fieldsOf("a,b\r1,2\r")).toEqual([["a", "b"], ["1", "2"]]);
  });

  it("handles quotes, escaped quotes, delimiters and newlines inside quotes", async () => {
    const rows = await parseChunks([Buffer.from('name,note\n"Smith, Ada","said ""hi""\nthen left"\nBob,"x\r\ny"\n')]);
    expect(rows.map((r) => r.fields)).toEqual([["name", "note"], ["Smith, Ada", 'said "hi"\nthen left'], ["Bob", "x\r\ny"]]);
    expect(rows.map((r) => r.line)).toEqual([1, 2, 4]);
    expect(rows.map((r) => r.record)).toEqual([1, 2, 3]);
  });

  it("keeps empty fields, trailing delimiters and quoted empty strings", async () => {
    expect(await fieldsOf('a,,c,\n"",x,"",\n')).toEqual([["a", "", "c", ""], ["", "x", "", ""]]);
    expect(await fieldsOf("a,b,")).toEqual([["a", "b", ""]]);
  });

  it("skips blank lines without breaking record or line numbers", async () => {
    const rows = await parseChunks(["a,b\n\n1,2\r\n\r\n3,4\n\n"]);
    expect(rows.map((r) => [r.record, r.line, r.fields])).toEqual([[1, 1, ["a", "b"]], [2, 3, ["1", "2"]], [3, 5, ["3", "4"]]]);
  });

  it("is lenient with text after a closing quote and with quotes inside unquoted fields", async () => {
    expect(await fieldsOf('"ab"cd,e\nx"y,z\n')).toEqual([["abcd", "e"], ['x"y', "z"]]);
  });

  it("drops a UTF-8 byte order mark and decodes characters split across chunks", async () => {
    const buf = Buffer.from("\ufeffname,city\nJosé,Zürich 🏔️\n", "utf8");
    for (let cut = 0; cut <= buf.length; cut++) {
      const rows = await parseChunks([buf.subarray(0, cut), buf.subarray(cut)]);
      expect(rows.map((r) => r.fields)).toEqual([["name", "city"], ["José", "Zürich 🏔️"]]);
    }
  });

  it("parses semicolon and tab files", async () => {
    expect(await fieldsOf('a;b\n"1;2";3\n', ";")).toEqual([["a", "b"], ["1;2", "3"]]);
    expect(await fieldsOf("a\tb\n1,5\t3\n", "\t")).toEqual([["a", "b"], ["1,5", "3"]]);
  });

  it("refuses an unterminated quote with its line", async () => {
    await expect(fieldsOf('a,b\n1,2\n"open,3\n4,5\n')).rejects.toThrow(new CsvError('a quoted field is not closed (missing ")', 3).message);
  });

  it("refuses a record longer than the limit instead of buffering the file", () => {
    const p = new CsvParser(",");
    p.push('a\n"');
    expect(() => {
      for (let i = 0; i < 20; i++) p.push("x".repeat(64 * 1024));
    }).toThrow(/longer than/);
  });

  it("yields the same records whatever the chunk boundaries (fuzz)", async () => {
    const field = fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.constantFrom("", '"', '""', ",", ";", "\t", "\n", "\r\n", "\r", "é", "😀", " x ", "a\"b"),
      fc.string({ unit: "grapheme", maxLength: 4 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<CsvDelimiter>(",", ";", "\t"),
        fc.constantFrom("\n", "\r\n"),
        fc.integer({ min: 1, max: 5 }).chain((w) => fc.array(fc.array(field, { minLength: w, maxLength: w }), { minLength: 1, maxLength: 8 })),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.boolean(),
        async (d, eol, rows, cuts, bom) => {
          // A row of one empty field is a blank line, which is skipped by design: quote it.
          const text = (bom ? "\ufeff" : "") + encode(rows, d, eol) + (cuts.length % 2 ? eol : "");
          const parsed = await parseChunks(splitAt(Buffer.from(text), cuts), d);
          expect(parsed.map((r) => r.fields)).toEqual(rows);
        },
      ),
      { numRuns: 400 },
    );
  });

  it("batches records per chunk", async () => {
    const batches: number[] = [];
    for await (const b of parseCsvBatches((async function* () { yield "a\n1\n2\n"; yield "3\n4"; })())) batches.push(b.length);
    expect(batches).toEqual([3, 1, 1]); // "4" is only complete at the end of the input
  });

  it("parses 200,000 rows of 8 columns quickly", async () => {
    const line = 'u-123456,ada@example.com,+41 79 123 45 67,"Smith, Ada",42.5,true,2024-03-01,Zürich\n';
    const text = "a,b,c,d,e,f,g,h\n" + line.repeat(200_000);
    const buf = Buffer.from(text);
    const chunks = Array.from({ length: Math.ceil(buf.length / 65536) }, (_, i) => buf.subarray(i * 65536, (i + 1) * 65536));
    const started = performance.now();
    let n = 0;
    for await (const batch of parseCsvBatches((async function* () { yield* chunks; })())) n += batch.length;
    const ms = performance.now() - started;
    expect(n).toBe(200_001);
    expect(ms).toBeLessThan(3000); // ~10x headroom; a million rows parse in a few seconds
  });
});

describe("delimiter detection", () => {
  it.each([
    ["a,b,c\n1,2,3\n4,5,6\n", ","],
    ["a;b;c\n1;2;3\n4,5;6;7\n", ";"],
    ["a\tb\tc\n1\t2,5\t3\n", "\t"],
    ['name;note\n"x, y, z";1\n"a, b";2\n', ";"],
    ['id,"multi\nline; with; semis"\n1,2\n', ","],
    ["\ufeffa;b\n1;2\n", ";"],
    ["single\nvalue\n", ","],
    ["a;b;c\n1;2;3\n1;2", ";"],
  ])("%j → %j", (sample, expected) => {
    expect(detectDelimiter(sample)).toBe(expected);
  });

  it("prefers the consistent delimiter over the more frequent one", () => {
    // Commas appear as decimal separators in varying numbers; semicolons are constant.
    expect(detectDelimiter("a;b;c\n1,5;2,25;3\n1;2,1;3\n7;8;9,9\n")).toBe(";");
  });
});

describe("csvField", () => {
  it("quotes only when needed", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField('a "b", c')).toBe('"a ""b"", c"');
    expect(csvField("line\nbreak")).toBe('"line\nbreak"');
  });
});
