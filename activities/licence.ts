import { Context } from '@temporalio/activity';
import type { LicenceSettings } from '../config/licence.ts';
import type { Logger } from '../config/logger.ts';
import { installationId } from '../db/installation.ts';
import { currentLicence, storeLicence } from '../db/licence.ts';
import type { Sql } from '../db/pool.ts';
import { licenceState } from '../db/licence-state.ts';
import { verifyLicence } from '../domain/licence/verify.ts';
import type { CoreActivities } from '../contracts/activities.ts';
import type { HeartbeatOutcome, ReconcileResult } from '../contracts/licence.ts';
import { refuse } from './failures.ts';
import { heartbeatJudge, postHeartbeat } from './licensing-server.ts';
import { breakerNames } from '../config/breakers.ts';
import type { Breakers } from './breaker.ts';

const VERSION = '0.1.0';

/** Chatwoot's hub fields: what the installation reports each heartbeat. */
export async function installationUsage(sql: Sql) {
  const [u] = await sql<Record<string, number>[]>`
    select (select count(*) from accounts)::int as accounts_count,
           (select count(*) from users)::int as users_count,
           (select count(*) from inboxes)::int as inboxes_count,
           (select count(*) from conversations)::int as conversations_count,
           (select count(*) from messages where message_type = 'incoming')::int as incoming_messages_count,
           (select count(*) from messages where message_type = 'outgoing')::int as outgoing_messages_count,
           (select count(distinct user_id) from account_users)::int as seats_used`;
  return u!;
}

export function createLicenceActivities({
  sql,
  logger,
  settings,
  breakers,
}: {
  sql: Sql;
  logger: Logger;
  settings: LicenceSettings;
  breakers: Breakers;
}) {
  const usage = () => installationUsage(sql);

  /**
   * One heartbeat attempt. The licence key is read here and sent as the bearer
   * token; it never travels through workflow input, history or a log line.
   * Every attempt is recorded; a transient failure is retried by Temporal.
   */
  async function sendHeartbeat(input: { runKey: string }): Promise<HeartbeatOutcome> {
    const licence = await currentLicence(sql);
    if (!licence) return { outcome: 'skipped', reason: 'no licence installed (community edition)' };
    const installation = await installationId(sql);
    // The installation and the run (a scheduled run's id carries its scheduled time): the same on every retry.
    const idempotencyKey = `${installation}:${input.runKey}`;
    const body = {
      installation_id: installation,
      version: VERSION,
      host: settings.publicUrl ?? null,
      ...(await usage()),
      seats_allowed: licence.claims.seats,
    };
    const attempt = Context.current().info.attempt;
    const started = Date.now();
    const post = () => postHeartbeat(settings.licensingServerUrl, licence.key, idempotencyKey, body);
    const { httpStatus, answer, error, failureType } = await breakers.run(breakerNames.licensing, post, heartbeatJudge);
    const serverStatus =
      answer?.status === 'active' || answer?.status === 'suspended' || answer?.status === 'revoked'
        ? answer.status
        : undefined;
    const latencyMs = Date.now() - started;
    const confirmed = !error && serverStatus !== undefined;
    await sql`
      insert into licence_heartbeats (idempotency_key, attempt, outcome, server_status, http_status, latency_ms, error, server_time)
      values (${idempotencyKey}, ${attempt}, ${confirmed ? 'confirmed' : 'failed'}, ${serverStatus ?? null}, ${httpStatus ?? null}, ${latencyMs},
              ${confirmed ? null : (error ?? 'answer without a status')}, ${answer?.server_time ? new Date(answer.server_time) : null})`;
    logger.info(
      { outcome: confirmed ? 'confirmed' : 'failed', serverStatus, httpStatus, latencyMs, attempt },
      'licence heartbeat',
    );
    if (!confirmed) {
      refuse(failureType, error ?? 'answer without a status');
    }

    let refreshed = false;
    // A refresh counts only from a server that still vouches for the licence: storing it would reset the facts.
    if (answer?.licence && serverStatus === 'active') {
      const verified = await verifyLicence(answer.licence, {
        publicKeys: settings.publicKeys,
        issuer: settings.issuer,
        installationId: installation,
      });
      if (verified.ok) {
        await storeLicence(sql, {
          key: answer.licence,
          kid: verified.kid,
          claims: verified.claims,
          installedBy: 'licensing-server',
        });
        refreshed = true;
      } else {
        logger.warn(
          { code: verified.code },
          'licensing server sent a licence that does not verify: kept the current one',
        );
      }
    }
    return { outcome: 'confirmed', serverStatus: serverStatus!, httpStatus: httpStatus!, refreshed };
  }

  /** Turns each account's premium features to what the licence allows now; reversible both ways. */
  async function reconcilePremiumFeatures(): Promise<ReconcileResult> {
    const state = await licenceState(sql, settings);
    const changed = await sql`
      update accounts set premium_features = ${state.features}::text[], updated_at = now()
       where premium_features is distinct from ${state.features}::text[] returning id`;
    if (changed.length)
      logger.info(
        { status: state.status, features: state.features, accounts: changed.length },
        'premium features reconciled',
      );
    return { status: state.status, features: state.features, accountsChanged: changed.length };
  }

  return { sendHeartbeat, reconcilePremiumFeatures } satisfies Pick<
    CoreActivities,
    'sendHeartbeat' | 'reconcilePremiumFeatures'
  >;
}
