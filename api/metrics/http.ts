import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { Counter, Histogram, type Registry } from 'prom-client';

/**
 * Counts requests and their durations by the route template (`/v1/accounts/:id/inboxes`),
 * never the raw path, so ids do not multiply the series. After `next()` the route index is
 * that of the last handler that ran: a request refused by a middleware (401, 413, 429) or
 * matching nothing is labelled with that middleware's pattern (`/v1/*`, `*`).
 */
export function httpMetrics(registry: Registry): MiddlewareHandler {
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route template and status',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route template and status',
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25],
    registers: [registry],
  });
  return async function measure(c, next) {
    const started = performance.now();
    await next();
    const labels = { method: c.req.method, route: routePath(c) || 'unmatched', status: String(c.res.status) };
    requests.inc(labels);
    duration.observe(labels, (performance.now() - started) / 1000);
  };
}
