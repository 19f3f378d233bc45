// Test helper: the tracking API (and the Profile API) on a random local port, through the same Node adapter the
// production server uses, plus a workspace with a source to send to.
import http from "node:http";
import type net from "node:net";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll } from "vitest";
import { closePool } from "@/lib/db/pool";
import { db } from "@/lib/db/prisma";
import { serveTrackingHttp } from "@/lib/ingest/serve-tracking-http";
import { isProfileApiPath } from "@/lib/profile-api/profile-api-routes";
import { serveProfileApiHttp } from "@/lib/profile-api/serve-profile-api-http";
import { createSource } from "@/lib/sources/create-source";
import type { SourceKind } from "@/lib/sources/source-input";

export async function startTrackingServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const pathname = (req.url ?? "/").split("?")[0];
    const work = isProfileApiPath(pathname) ? serveProfileApiHttp(req, res) : serveTrackingHttp(req, res, pathname, req.socket.remoteAddress ?? "unknown");
    work.catch((err) => {
      res.writeHead(500).end(String(err));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

/** For a test file: the server for all its tests, closed (with the pool) at the end. */
export function trackingServerForTests(): { readonly url: string; send: (writeKey: string, batch: Record<string, unknown>[]) => Promise<void> } {
  let server: Awaited<ReturnType<typeof startTrackingServer>> | undefined;
  beforeAll(async () => {
    server = await startTrackingServer();
  });
  afterAll(async () => {
    await server?.close();
    await closePool();
  });
  return {
    get url() {
      if (!server) throw new Error("the tracking server starts in beforeAll");
      return server.url;
    },
    /** Posts messages to /v1/batch (100 per request) with a write key; throws unless each is answered 200. */
    async send(writeKey, batch) {
      for (let i = 0; i < batch.length; i += 100) {
        const res = await fetch(`${this.url}/v1/batch`, {
          method: "POST",
          headers: { "Content-Type": "application/json", Authorization: `Basic ${Buffer.from(`${writeKey}:`).toString("base64")}` },
          body: JSON.stringify({ batch: batch.slice(i, i + 100) }),
        });
        const text = await res.text();
        if (res.status !== 200) throw new Error(`/v1/batch answered ${res.status}: ${text}`);
      }
    },
  };
}

export async function createTestSource(options: { kind?: SourceKind; allowedOrigins?: string[] } = {}) {
  const id = randomBytes(4).toString("hex");
  const workspace = await db().workspace.create({ data: { slug: `ingest-${id}`, name: `Ingest ${id}` } });
  const source = await createSource({ workspaceId: workspace.id, name: "Test source", kind: options.kind ?? "server", allowedOrigins: options.allowedOrigins });
  const { key } = await db().sourceWriteKey.findFirstOrThrow({ where: { sourceId: source.id } });
  return { workspaceId: workspace.id, sourceId: source.id, writeKey: key };
}
