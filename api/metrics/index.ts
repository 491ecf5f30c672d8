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
}

export interface ApiMetrics {
  /** Mount first, so it times everything the other middleware and handlers do. */
  middleware: MiddlewareHandler;
  /** `GET /metrics` in Prometheus text format; unauthenticated, like /healthz. */
  routes: Hono;
}

/** One registry per app, not prom-client's global one, so several apps in one process do not collide. */
export function apiMetrics(deps: MetricsDeps): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const middleware = httpMetrics(registry);
  businessMetrics(registry, deps);
  const routes = new Hono();
  routes.get('/metrics', async (c) => c.body(await registry.metrics(), 200, { 'Content-Type': registry.contentType }));
  return { middleware, routes };
}
