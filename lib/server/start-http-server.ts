// Tessera's HTTP server: Next.js in-process behind a thin Node http server that records
// per-route metrics and sets the client address for rate limiting.
import http from "node:http";
import next from "next";
import { CLIENT_IP_HEADER } from "@/lib/auth/client-ip";
import { routeLabel } from "@/lib/observability/route-label";
import { observeRequest } from "@/lib/observability/metrics";
import { isProfileApiPath } from "@/lib/profile-api/profile-api-routes";
import { serveProfileApiHttp } from "@/lib/profile-api/serve-profile-api-http";
import { serveTrackingHttp } from "@/lib/ingest/serve-tracking-http";

export interface HttpServer {
  close: () => Promise<void>;
}

function clientAddress(req: http.IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers["x-forwarded-for"];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim();
    if (first) return first;
  }
  return req.socket.remoteAddress ?? "unknown";
}

export async function startHttpServer(options: { dir: string; port: number; host: string; trustProxy: boolean }): Promise<HttpServer> {
  const app = next({ dev: false, dir: options.dir, hostname: options.host, port: options.port });
  const handle = app.getRequestHandler();
  await app.prepare();

  const server = http.createServer((req, res) => {
    const started = process.hrtime.bigint();
    const ip = clientAddress(req, options.trustProxy);
    req.headers[CLIENT_IP_HEADER] = ip;
    res.once("finish", () => {
      const path = req.url ?? "/";
      observeRequest({
        method: req.method ?? "GET",
        route: routeLabel(path, res.statusCode),
        status: res.statusCode,
        seconds: Number(process.hrtime.bigint() - started) / 1e9,
      });
    });
    const pathname = (req.url ?? "/").split("?")[0];
    // The tracking and Profile APIs are hot paths: served directly, without the page framework.
    const work = isProfileApiPath(pathname) ? serveProfileApiHttp(req, res) : pathname.startsWith("/v1/") ? serveTrackingHttp(req, res, pathname, ip) : handle(req, res);
    work.catch((err: unknown) => {
      console.error("[http] unhandled error", err);
      if (!res.headersSent) res.writeHead(500).end("Internal Server Error");
    });
  });
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });

  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 5000).unref();
      }),
  };
}
