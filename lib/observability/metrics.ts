// Prometheus metrics. The registry lives on globalThis because the HTTP server (which times
// every request) and Next's route bundles (which serve /api/metrics) load this file separately.
import client from "prom-client";
import { peekPool } from "@/lib/db/pool";
import { pipelineLag, type PipelineLag } from "@/lib/pipeline/pipeline-lag";

interface Metrics {
  registry: client.Registry;
  requests: client.Counter<"method" | "route" | "status">;
  duration: client.Histogram<"method" | "route">;
}

const KEY = Symbol.for("tessera.metrics");
type WithMetrics = typeof globalThis & { [KEY]?: Metrics };

function create(): Metrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: "tessera_" });
  const requests = new client.Counter({
    name: "tessera_http_requests_total",
    help: "HTTP requests served, by route pattern, method and status code",
    labelNames: ["method", "route", "status"] as const,
    registers: [registry],
  });
  const duration = new client.Histogram({
    name: "tessera_http_request_duration_seconds",
    help: "HTTP request latency, by route pattern and method",
    labelNames: ["method", "route"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const poolGauge = (name: string, help: string, read: (p: NonNullable<ReturnType<typeof peekPool>>) => number) =>
    new client.Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const pool = peekPool();
        this.set(pool ? read(pool) : 0);
      },
    });
  poolGauge("tessera_db_pool_connections", "Open connections in the database pool", (p) => p.totalCount);
  poolGauge("tessera_db_pool_idle_connections", "Idle connections in the database pool", (p) => p.idleCount);
  poolGauge("tessera_db_pool_waiting_requests", "Queries waiting for a free pool connection", (p) => p.waitingCount);
  new client.Gauge({
    name: "tessera_db_pool_max_connections",
    help: "Configured maximum size of the database pool",
    registers: [registry],
    collect() {
      this.set(peekPool()?.options.max ?? 0);
    },
  });
  // Read from the database at scrape time; NaN while it cannot be reached.
  const lagGauge = (name: string, help: string, read: (lag: PipelineLag) => number) =>
    new client.Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        try {
          this.set(peekPool() ? read(await pipelineLag()) : 0);
        } catch {
          this.set(NaN);
        }
      },
    });
  lagGauge("tessera_pipeline_lag_seconds", "Age of the oldest event not yet resolved into profiles (0 when caught up)", (l) => l.oldestUnprocessedSeconds);
  lagGauge("tessera_pipeline_unprocessed_events", "Events committed by ingestion and not yet resolved into profiles", (l) => l.unprocessedEvents);
  return { registry, requests, duration };
}

export function metrics(): Metrics {
  const g = globalThis as WithMetrics;
  g[KEY] ??= create();
  return g[KEY];
}

export function observeRequest(sample: { method: string; route: string; status: number; seconds: number }) {
  const m = metrics();
  m.requests.inc({ method: sample.method, route: sample.route, status: String(sample.status) });
  m.duration.observe({ method: sample.method, route: sample.route }, sample.seconds);
}
