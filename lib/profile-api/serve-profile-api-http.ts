// Node http adapter for the Profile API (served next to the tracking API, outside the page framework).
import type http from "node:http";
import { getPool } from "@/lib/db/pool";
import { handleProfileApiRequest } from "@/lib/profile-api/handle-profile-api-request";

export async function serveProfileApiHttp(req: http.IncomingMessage, res: http.ServerResponse) {
  req.resume(); // GET: no body to read
  const response = await handleProfileApiRequest({ method: req.method ?? "GET", url: req.url ?? "/", authorization: req.headers.authorization }, getPool());
  res.writeHead(response.status, response.headers).end(response.body);
}
