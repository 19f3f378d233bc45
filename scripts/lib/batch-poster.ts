// Posts /v1/batch bodies to a local server over kept-alive connections, counting failed requests:
// the load generator of the benches that drive the tracking API.
import http from "node:http";

export function batchPoster(port: number, writeKey: string) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const auth = `Basic ${Buffer.from(`${writeKey}:`).toString("base64")}`;
  const stats = { errors: 0 };
  const post = (body: string) =>
    new Promise<void>((resolve) => {
      const req = http.request({ host: "127.0.0.1", port, method: "POST", path: "/v1/batch", agent, headers: { Authorization: auth, "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on("end", () => {
          if (res.statusCode !== 200) stats.errors++;
          resolve();
        });
      });
      req.on("error", () => {
        stats.errors++;
        resolve();
      });
      req.end(body);
    });
  return { post, stats, close: () => agent.destroy() };
}
