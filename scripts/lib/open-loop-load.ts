// Open-loop HTTP load at a constant arrival rate, for latency benchmarks: request i is sent at
// start + i / rate whatever the earlier requests are doing, and its latency runs from that
// scheduled time, not from when it actually went out. A server that stalls makes the requests
// behind it late, and that wait is counted (no coordinated omission, which a closed loop of
// clients waiting for their previous answer would hide).
import http from "node:http";

export interface LoadRequest<T> {
  path: string;
  meta: T;
}

export interface LoadSample<T> {
  meta: T;
  /** Sent during the warm-up: not part of the figures. */
  warmup: boolean;
  latencyMs: number;
  /** null: a right answer; else what was wrong ("HTTP 500", "timeout", a failed content check). */
  error: string | null;
}

export interface OpenLoopOptions<T> {
  port: number;
  headers: Record<string, string>;
  /** Requests per second. */
  rate: number;
  warmupSeconds: number;
  seconds: number;
  request: (i: number) => LoadRequest<T>;
  /** Checks a 200 answer's body; returns what is wrong, or null. */
  check: (meta: T, body: string) => string | null;
  timeoutMs?: number;
}

export async function runOpenLoop<T>(o: OpenLoopOptions<T>): Promise<{ samples: LoadSample<T>[]; sentPerSecond: number }> {
  // Enough sockets that the client never queues requests itself: a backlog must show up as
  // latency at the server, not as a client-side limit on the arrival rate.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1024 });
  const total = Math.round(o.rate * (o.warmupSeconds + o.seconds));
  const warmupCount = Math.round(o.rate * o.warmupSeconds);
  const samples: LoadSample<T>[] = [];
  const inFlight = new Set<Promise<void>>();
  const start = performance.now() + 50;
  const due = (i: number) => start + (i * 1000) / o.rate;

  const send = (i: number) => {
    const { path, meta } = o.request(i);
    const scheduled = due(i);
    const p = new Promise<void>((resolve) => {
      let answered = false;
      const done = (error: string | null) => {
        if (answered) return; // a socket error after the answer ended does not count twice
        answered = true;
        samples.push({ meta, warmup: i < warmupCount, latencyMs: performance.now() - scheduled, error });
        resolve();
      };
      const req = http.get({ host: "127.0.0.1", port: o.port, path, agent, headers: o.headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          if (res.statusCode !== 200) return done(`HTTP ${res.statusCode}`);
          try {
            done(o.check(meta, Buffer.concat(chunks).toString("utf8")));
          } catch (err) {
            done(`unreadable answer (${(err as Error).message.slice(0, 80)})`);
          }
        });
        res.on("error", () => done("response error"));
      });
      req.setTimeout(o.timeoutMs ?? 10_000, () => req.destroy(new Error("timeout")));
      req.on("error", (err) => done(err.message === "timeout" ? "timeout" : `network error (${err.message})`));
    }).finally(() => inFlight.delete(p));
    inFlight.add(p);
  };

  let next = 0;
  await new Promise<void>((finished) => {
    const tick = () => {
      // Everything that is due goes out now, even if the timer fired late.
      while (next < total && due(next) <= performance.now()) send(next++);
      if (next >= total) return finished();
      setTimeout(tick, Math.max(0, due(next) - performance.now()));
    };
    setTimeout(tick, Math.max(0, start - performance.now()));
  });
  const sentPerSecond = (total - warmupCount) / ((performance.now() - due(warmupCount)) / 1000);
  await Promise.all(inFlight);
  agent.destroy();
  return { samples, sentPerSecond };
}
