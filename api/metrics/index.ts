import { Hono, type MiddlewareHandler } from 'hono';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { LicenceSettings } from '../../config/licence.ts';
import type { Logger } from '../../config/logger.ts';
import type { Sql } from '../../db/pool.ts';
import { businessMetrics } from './business.ts';
import { httpMetrics } from './http.ts';

export interface MetricsDeps {
  sql: Sql;
  licence: LicenceSettings;
  logger: Logger;
  /** How long one read of the database answers scrapes (default 10 s). */
  freshForMs?: number;
}

export interface ApiMetrics {
  /** Mount first on the API, so it times everything the other middleware and handlers do. */
  middleware: MiddlewareHandler;
  /**
   * `GET /metrics` in Prometheus text format, served on a port of its own (API_METRICS_PORT), never the
   * API's: it names what every tenant's traffic amounts to, and costs queries no client should start.
   */
  app: Hono;
}

/** One registry per app, not prom-client's global one, so several apps in one process do not collide. */
export function apiMetrics(deps: MetricsDeps): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const middleware = httpMetrics(registry);
  businessMetrics(registry, deps);
  const app = new Hono();
  app.get('/metrics', async (c) => c.body(await registry.metrics(), 200, { 'Content-Type': registry.contentType }));
  return { middleware, app };
}
