// A CSV file download streamed from an async generator of text pieces (one page of rows each), so
// a large export never sits in memory; a client that goes away stops the generator.
export function csvDownload(pieces: AsyncGenerator<string>, fileName: string): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await pieces.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await pieces.return(undefined);
    },
  });
  const safe = fileName.replace(/[^\w.-]+/g, "_");
  return new Response(body, { headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${safe}"`, "Cache-Control": "no-store" } });
}
