import type { BreakerPolicy } from '../config/catalogue.ts';
import type { Sql, TransactionSql } from './pool.ts';

export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerRecord {
  name: string;
  state: BreakerState;
  /** Failure instants kept for the rolling window (pruned on each failure). */
  recentFailures: Date[];
  openedAt: Date | null;
  halfOpenAt: Date | null;
  trialExpiresAt: Date | null;
  lastFailure: string | null;
  lastFailureAt: Date | null;
  failuresTotal: number;
  openedTotal: number;
  trialsTotal: number;
  refusedTotal: number;
  updatedAt: Date;
}

export type Admission =
  { admitted: true; trial: boolean } | { admitted: false; state: BreakerState; retryInMs: number };

const columns = (sql: Sql | TransactionSql) => sql`
  name, state, recent_failures as "recentFailures", opened_at as "openedAt", half_open_at as "halfOpenAt",
  trial_expires_at as "trialExpiresAt", last_failure as "lastFailure", last_failure_at as "lastFailureAt",
  failures_total as "failuresTotal", opened_total as "openedTotal", trials_total as "trialsTotal",
  refused_total as "refusedTotal", updated_at as "updatedAt"`;

/** Every breaker that has ever seen a failure, by name (also for metrics). */
export function breakerStates(sql: Sql | TransactionSql, name?: string): Promise<BreakerRecord[]> {
  return sql<BreakerRecord[]>`
    select ${columns(sql)} from breakers ${name === undefined ? sql`` : sql`where name = ${name}`} order by name`;
}

/**
 * May a call go out now? Closed: yes (one read, no write). Open and past its
 * half-open instant, or half-open with an expired lease: the caller tries to
 * take the trial lease. The UPDATE re-checks its WHERE on the locked row, so
 * of any number of callers racing, across processes, exactly one gets it.
 */
export async function admitCall(sql: Sql, name: string, holder: string, policy: BreakerPolicy): Promise<Admission> {
  const [row] = await sql<{ state: BreakerState; claimable: boolean }[]>`
    select state, (state = 'open' and half_open_at <= now()) or (state = 'half_open' and trial_expires_at <= now()) as claimable
      from breakers where name = ${name}`;
  if (!row || row.state === 'closed') return { admitted: true, trial: false };
  if (row.claimable) {
    const [claimed] = await sql`
      update breakers set state = 'half_open', trial_holder = ${holder},
             trial_expires_at = now() + make_interval(secs => ${policy.trialLeaseMs / 1000}),
             trials_total = trials_total + 1, updated_at = now()
       where name = ${name}
         and ((state = 'open' and half_open_at <= now()) or (state = 'half_open' and trial_expires_at <= now()))
       returning 1`;
    if (claimed) return { admitted: true, trial: true };
  }
  const [refused] = await sql<{ state: BreakerState; waitMs: number }[]>`
    update breakers set refused_total = refused_total + 1 where name = ${name} and state <> 'closed'
    returning state,
      greatest(0, extract(epoch from (case when state = 'open' then half_open_at else trial_expires_at end) - now()) * 1000)::float8 as "waitMs"`;
  if (!refused) return { admitted: true, trial: false }; // the trial closed it meanwhile
  return { admitted: false, state: refused.state, retryInMs: Math.round(refused.waitMs) };
}

/**
 * A dependency failure. The trial's holder reopens the breaker; while closed,
 * the failure joins the window and the threshold-th one opens it. A late
 * failure of a call admitted before the breaker opened changes no state.
 * The row is locked, so concurrent failures count one by one and open it once.
 */
export async function recordFailure(
  sql: Sql,
  name: string,
  holder: string,
  message: string,
  policy: BreakerPolicy,
): Promise<{ state: BreakerState; opened: boolean }> {
  return sql.begin(async (tx) => {
    await tx`insert into breakers (name) values (${name}) on conflict (name) do nothing`;
    const [row] = await tx<{ state: BreakerState; trialHolder: string | null; recent: Date[]; now: Date }[]>`
      select state, trial_holder as "trialHolder",
             array(select t from unnest(recent_failures) t where t > now() - make_interval(secs => ${policy.windowMs / 1000}) order by t) as recent,
             now() as now
        from breakers where name = ${name} for update`;
    const { state, trialHolder, recent, now } = row!;
    const trialFailed = state === 'half_open' && trialHolder === holder;
    const window = state === 'closed' ? [...recent, now] : recent;
    const opened = trialFailed || (state === 'closed' && window.length >= policy.failureThreshold);
    await tx`
      update breakers set
        recent_failures = ${opened ? tx`'{}'` : state === 'closed' ? tx`${tx.array(window.map((t) => t.toISOString()))}::timestamptz[]` : tx`recent_failures`},
        last_failure = ${message.slice(0, 500)}, last_failure_at = now(), failures_total = failures_total + 1,
        ${
          opened
            ? tx`state = 'open', opened_at = now(), half_open_at = now() + make_interval(secs => ${policy.openMs / 1000}),
                 trial_holder = null, trial_expires_at = null, opened_total = opened_total + 1,`
            : tx``
        }
        updated_at = now()
       where name = ${name}`;
    return { state: opened ? 'open' : state, opened };
  });
}

/** The trial succeeded: the breaker closes and its window starts empty. Any other success changes nothing. */
export async function recordTrialSuccess(sql: Sql, name: string, holder: string): Promise<boolean> {
  const closed = await sql`
    update breakers set state = 'closed', recent_failures = '{}', opened_at = null, half_open_at = null,
           trial_holder = null, trial_expires_at = null, updated_at = now()
     where name = ${name} and state = 'half_open' and trial_holder = ${holder} returning 1`;
  return closed.length > 0;
}

/** An operator's reset: closed, window emptied, any trial forgotten. Undefined for an unknown breaker. */
export async function resetBreaker(tx: TransactionSql, name: string): Promise<BreakerState | undefined> {
  const [before] = await tx<{ state: BreakerState }[]>`select state from breakers where name = ${name} for update`;
  if (!before) return undefined;
  await tx`
    update breakers set state = 'closed', recent_failures = '{}', opened_at = null, half_open_at = null,
           trial_holder = null, trial_expires_at = null, updated_at = now()
     where name = ${name}`;
  return before.state;
}

/**
 * Deletes the breakers named `prefix…` that no longer name anything in `keep` and have not changed for
 * `idleHours`: the breakers of webhook hosts no webhook targets, so their label set does not grow forever.
 */
export async function deleteIdleBreakers(
  sql: Sql,
  { prefix, keep, idleHours }: { prefix: string; keep: string[]; idleHours: number },
): Promise<number> {
  const deleted = await sql`
    delete from breakers
     where starts_with(name, ${prefix}) and name <> all(${keep}::text[])
       and updated_at < now() - make_interval(hours => ${idleHours})`;
  return deleted.count;
}
