import { Counter, Gauge, type Registry } from 'prom-client';
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
import { retentionTargetNames, retentionTotals } from '../../db/retention.ts';

const licenceStatuses = ['VALID', 'GRACE', 'EXPIRED', 'REVOKED', 'COMMUNITY'] as const;

export interface BusinessMetricsDeps {
  sql: Sql;
  licence: LicenceSettings;
  logger: Logger;
  /** A read younger than this answers the next scrape too (default 10 s): scrapes cost the database nothing more. */
  freshForMs?: number;
}

/** What a breaker's name says before its first `:`: its kind. The rest (a webhook's host) is a tenant's input. */
const breakerKinds = ['clever-cloud', 'licensing', 'webhook'] as const;
const breakerStatesList = ['closed', 'open', 'half_open'] as const;

/**
 * Gauges read from PostgreSQL on each scrape. Known label values are always present (0 when
 * absent) so dashboards see a series drop to zero rather than vanish. A failed query leaves its
 * gauge empty and is logged: one unreachable table must not fail the whole scrape.
 */
export function businessMetrics(
  registry: Registry,
  { sql, licence, logger, freshForMs = 10_000 }: BusinessMetricsDeps,
): void {
  const cached = <T>(read: () => Promise<T>) => recent(read, freshForMs);
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

  gauge(
    'capstan_webhook_deliveries',
    'Webhook deliveries by status',
    'status',
    deliveryStatuses,
    cached(() => deliveriesByStatus(sql)),
  );
  gauge(
    'capstan_deploys',
    'Deploy attempts by outcome',
    'outcome',
    deployOutcomes,
    cached(() => deploysByOutcome(sql)),
  );
  gauge(
    'capstan_licence_status',
    'The licence status now: 1 for the current one, 0 for the others',
    'status',
    licenceStatuses,
    cached(async () => {
      const { status } = await licenceState(sql, licence);
      return new Map([[status, 1]]);
    }),
  );
  gauge(
    'capstan_db_connections',
    "Connections PostgreSQL holds for the API's application_name (every replica), by state",
    'state',
    [],
    cached(() => connectionsByState(sql)),
  );
  gauge(
    'capstan_dead_letters_open',
    'Dead letters waiting for an operator, by kind',
    'kind',
    [],
    cached(() => deadLetterCounts(sql)),
  );
  const pruned = cached(() => retentionTotals(sql));
  new Counter({
    name: 'capstan_retention_rows_deleted_total',
    help: 'Rows the retention schedules deleted, by table (kept in PostgreSQL: every worker and restart adds up)',
    labelNames: ['target'],
    registers: [registry],
    async collect() {
      this.reset();
      try {
        const totals = await pruned();
        for (const target of new Set([...retentionTargetNames, ...totals.keys()]))
          this.inc({ target }, totals.get(target) ?? 0);
      } catch (err) {
        logger.warn({ err, metric: 'capstan_retention_rows_deleted_total' }, 'metric not collected');
      }
    },
  });
  const attempts = cached(() => webhookAttemptsByOutcome(sql));
  const durations = cached(() => deployDurations(sql));
  const breakers = cached(() => breakerStates(sql));
  const lastBuild = cached(() => lastAssetBuildDurations(sql, 1));
  const grants = cached(() => activePromotionCount(sql));
  multi(
    'capstan_webhook_attempts',
    'Webhook delivery attempts by outcome and attempt number',
    ['outcome', 'attempt'],
    async (g) => {
      for (const r of await attempts()) g.set({ outcome: r.outcome, attempt: r.attempt }, r.count);
    },
  );
  multi(
    'capstan_deploy_duration_seconds_sum',
    'Seconds taken by deploys finished in the last day, by outcome',
    ['outcome'],
    async (g) => {
      for (const r of await durations()) g.set({ outcome: r.outcome }, r.seconds);
    },
  );
  multi(
    'capstan_deploy_duration_seconds_count',
    'Deploys finished in the last day, by outcome',
    ['outcome'],
    async (g) => {
      for (const r of await durations()) g.set({ outcome: r.outcome }, r.count);
    },
  );
  multi('capstan_breakers', 'Circuit breakers by kind and state', ['kind', 'state'], async (g) => {
    const rows = await breakers();
    for (const kind of breakerKinds)
      for (const state of breakerStatesList)
        g.set({ kind, state }, rows.filter((b) => kindOf(b.name) === kind && b.state === state).length);
  });
  multi(
    'capstan_breaker_calls_refused',
    'Calls the circuit breakers of a kind refused without sending them, since each was created',
    ['kind'],
    async (g) => {
      const rows = await breakers();
      for (const kind of breakerKinds)
        g.set(
          { kind },
          rows.filter((b) => kindOf(b.name) === kind).reduce((sum, b) => sum + b.refusedTotal, 0),
        );
    },
  );
  multi('capstan_asset_build_phase_seconds', 'The last ready asset build: seconds per phase', ['phase'], async (g) => {
    const [last] = await lastBuild();
    for (const [phase, ms] of Object.entries(last?.phaseMs ?? {})) g.set({ phase }, ms / 1000);
  });
  multi('capstan_break_glass_grants_active', 'Break-glass super-admin grants in force now', [], async (g) =>
    g.set(await grants()),
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

/** A breaker's kind; a name of no known kind counts as `webhook`, the only kind named from outside. */
function kindOf(name: string): (typeof breakerKinds)[number] {
  const prefix = name.split(':', 1)[0];
  return breakerKinds.find((k) => k === prefix) ?? 'webhook';
}

/**
 * `read`, reused while younger than `freshForMs` and while it runs: the gauges of one scrape that
 * need the same rows, and scrapes close together, share one query. A failed read is not kept.
 */
function recent<T>(read: () => Promise<T>, freshForMs: number): () => Promise<T> {
  let last: { at: number; value: Promise<T>; done: boolean } | undefined;
  return () => {
    if (last && (!last.done || performance.now() - last.at < freshForMs)) return last.value;
    const current = { at: performance.now(), value: read(), done: false };
    last = current;
    current.value.then(
      () => {
        current.done = true;
        current.at = performance.now();
      },
      () => {
        if (last === current) last = undefined;
      },
    );
    return current.value;
  };
}
