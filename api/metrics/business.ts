import { Gauge, type Registry } from 'prom-client';
import type { LicenceSettings } from '../../config/licence.ts';
import type { Logger } from '../../config/logger.ts';
import { licenceState } from '../../db/licence-state.ts';
import {
  connectionsByState,
  deliveriesByStatus,
  deployOutcomes,
  deliveryStatuses,
  deploysByOutcome,
} from '../../db/metrics.ts';
import type { Sql } from '../../db/pool.ts';

const licenceStatuses = ['VALID', 'GRACE', 'EXPIRED', 'REVOKED', 'COMMUNITY'] as const;

export interface BusinessMetricsDeps {
  sql: Sql;
  licence: LicenceSettings;
  logger: Logger;
}

/**
 * Gauges read from PostgreSQL on each scrape. Known label values are always present (0 when
 * absent) so dashboards see a series drop to zero rather than vanish. A failed query leaves its
 * gauge empty and is logged: one unreachable table must not fail the whole scrape.
 */
export function businessMetrics(registry: Registry, { sql, licence, logger }: BusinessMetricsDeps): void {
  const gauge = (
    name: string,
    help: string,
    label: string,
    known: readonly string[],
    read: () => Promise<Map<string, number>>,
  ) =>
    new Gauge({
      name,
      help,
      labelNames: [label],
      registers: [registry],
      async collect() {
        this.reset();
        try {
          const counts = await read();
          for (const value of new Set([...known, ...counts.keys()]))
            this.set({ [label]: value }, counts.get(value) ?? 0);
        } catch (err) {
          logger.warn({ err, metric: name }, 'metric not collected');
        }
      },
    });

  gauge('capstan_webhook_deliveries', 'Webhook deliveries by status', 'status', deliveryStatuses, () =>
    deliveriesByStatus(sql),
  );
  gauge('capstan_deploys', 'Deploy attempts by outcome', 'outcome', deployOutcomes, () => deploysByOutcome(sql));
  gauge(
    'capstan_licence_status',
    'The licence status now: 1 for the current one, 0 for the others',
    'status',
    licenceStatuses,
    async () => {
      const { status } = await licenceState(sql, licence);
      return new Map([[status, 1]]);
    },
  );
  gauge(
    'capstan_db_connections',
    "Connections PostgreSQL holds for the API's application_name (every replica), by state",
    'state',
    [],
    () => connectionsByState(sql),
  );
  new Gauge({
    name: 'capstan_db_pool_max',
    help: 'The largest number of connections this process opens (DATABASE_POOL_MAX)',
    registers: [registry],
    collect() {
      // Optional: tests that never query build apps on a stand-in for the pool.
      const max = (sql.options as { max?: number } | undefined)?.max;
      if (max !== undefined) this.set(max);
    },
  });
}
