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
  deployDurations,
  webhookAttemptsByOutcome,
} from '../../db/metrics.ts';
import { breakerStates } from '../../db/breakers.ts';
import { deadLetterCounts } from '../../db/dead-letters.ts';
import { lastAssetBuildDurations } from '../../db/assets.ts';
import { activePromotionCount } from '../../db/promotions.ts';
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
  /** A gauge filled by `fill` on each scrape: emptied first, logged and left empty when its query fails. */
  const multi = (name: string, help: string, labelNames: string[], fill: (g: Gauge) => Promise<void>) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        this.reset();
        try {
          await fill(this);
        } catch (err) {
          logger.warn({ err, metric: name }, 'metric not collected');
        }
      },
    });
  /** One label; its known values always present. */
  const gauge = (
    name: string,
    help: string,
    label: string,
    known: readonly string[],
    read: () => Promise<Map<string, number>>,
  ) =>
    multi(name, help, [label], async (g) => {
      const counts = await read();
      for (const value of new Set([...known, ...counts.keys()])) g.set({ [label]: value }, counts.get(value) ?? 0);
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
  gauge('capstan_dead_letters_open', 'Dead letters waiting for an operator, by kind', 'kind', [], () =>
    deadLetterCounts(sql),
  );
  const durations = readForTwo(() => deployDurations(sql));
  const breakers = readForTwo(() => breakerStates(sql));
  multi(
    'capstan_webhook_attempts',
    'Webhook delivery attempts by outcome and attempt number',
    ['outcome', 'attempt'],
    async (g) => {
      for (const r of await webhookAttemptsByOutcome(sql)) g.set({ outcome: r.outcome, attempt: r.attempt }, r.count);
    },
  );
  multi(
    'capstan_deploy_duration_seconds_sum',
    'Seconds taken by deploys finished in the last day, by outcome',
    ['outcome'],
    async (g) => {
      for (const r of await durations.first()) g.set({ outcome: r.outcome }, r.seconds);
    },
  );
  multi(
    'capstan_deploy_duration_seconds_count',
    'Deploys finished in the last day, by outcome',
    ['outcome'],
    async (g) => {
      for (const r of await durations.second()) g.set({ outcome: r.outcome }, r.count);
    },
  );
  multi(
    'capstan_breaker_state',
    'Each circuit breaker: 1 for its current state, 0 for the others',
    ['name', 'state'],
    async (g) => {
      for (const b of await breakers.first())
        for (const state of ['closed', 'open', 'half_open']) g.set({ name: b.name, state }, b.state === state ? 1 : 0);
    },
  );
  multi(
    'capstan_breaker_calls_refused',
    'Calls a circuit breaker refused without sending them, since it was created',
    ['name'],
    async (g) => {
      for (const b of await breakers.second()) g.set({ name: b.name }, b.refusedTotal);
    },
  );
  multi('capstan_asset_build_phase_seconds', 'The last ready asset build: seconds per phase', ['phase'], async (g) => {
    const [last] = await lastAssetBuildDurations(sql, 1);
    for (const [phase, ms] of Object.entries(last?.phaseMs ?? {})) g.set({ phase }, ms / 1000);
  });
  multi('capstan_break_glass_grants_active', 'Break-glass super-admin grants in force now', [], async (g) =>
    g.set(await activePromotionCount(sql)),
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

/**
 * One read for two gauges of the same scrape: the gauge registered first starts it (a scrape
 * starts collecting in registration order), the second takes that read instead of querying again.
 */
function readForTwo<T>(read: () => Promise<T>): { first(): Promise<T>; second(): Promise<T> } {
  let pending: Promise<T> | undefined;
  return {
    first: () => (pending = read()),
    second: () => {
      const value = pending ?? read();
      pending = undefined;
      return value;
    },
  };
}
