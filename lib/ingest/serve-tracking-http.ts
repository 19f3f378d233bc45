// Node http adapter for the tracking API: reads the body with the contract's size limit (without
// buffering more than that) and writes the handler's answer.
import type http from "node:http";
import { getPool } from "@/lib/db/pool";
import { env } from "@/lib/env";
import { EventWriter } from "@/lib/ingest/event-writer";
import { handleTrackingRequest } from "@/lib/ingest/handle-tracking-request";
import { MAX_BATCH_BYTES } from "@/lib/ingest/parse-tracking-request";
import { WriteKeyRateLimiter } from "@/lib/ingest/write-key-rate-limit";

let runtime: { writer: EventWriter; limiter: WriteKeyRateLimiter } | undefined;

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooBig = true; // keep draining, stop buffering
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(tooBig ? null : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export async function serveTrackingHttp(req: http.IncomingMessage, res: http.ServerResponse, pathname: string, ip: string) {
  runtime ??= { writer: new EventWriter(getPool()), limiter: new WriteKeyRateLimiter(env().TRACKING_RATE_LIMIT) };
  const body = await readBody(req, MAX_BATCH_BYTES);
  const header = (name: string) => {
    const v = req.headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const response = await handleTrackingRequest(
    {
      method: req.method ?? "GET",
      pathname,
      headers: { authorization: header("authorization"), origin: header("origin"), host: header("host"), forwardedProto: header("x-forwarded-proto") },
      // Over the batch limit: hand over one byte too many so the parser answers 413 with the rule.
      body: body ?? Buffer.alloc(MAX_BATCH_BYTES + 1),
      ip,
    },
    { pool: getPool(), ...runtime },
  );
  res.writeHead(response.status, response.headers).end(response.body);
}
