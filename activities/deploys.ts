import type { PayloadCodec } from '@temporalio/common';
import type { Logger } from '../config/logger.ts';
import type { Sql } from '../db/pool.ts';
import type { DeadLetterActivities, DeployActivities } from '../contracts/activities.ts';
import type { AttemptRef } from '../contracts/deploys.ts';
import { CleverApiError, type CleverClient } from './clever-cloud/client.ts';
import { breakerNames } from '../config/breakers.ts';
import { createProofs } from './proofs.ts';
import type { Breakers, Judge } from './breaker.ts';
import { refuse } from './failures.ts';
import { sealEnv } from './sealed-input.ts';

/**
 * How long a deployment may stay missing from the list after a redeploy call
 * before we call again: short when the API said it did not take the call (429,
 * 503), long otherwise — a 500, 502, 504 or no answer may have started one.
 */
const APPEAR_GRACE_AFTER_ERROR_MS = 3_000;
const APPEAR_GRACE_AFTER_SILENCE_MS = 60_000;

/** 429, 5xx, timeouts and no answer are Clever Cloud failing; another 4xx is its answer to a wrong request. */
export const cleverJudge: Judge<unknown> = {
  error: (err) => (err instanceof CleverApiError && err.retryable ? err.message : undefined),
};

export function createDeployActivities({
  sql,
  logger,
  client,
  breakers,
  codec,
}: {
  sql: Sql;
  logger: Logger;
  client: CleverClient;
  breakers: Breakers;
  /** Seals the environment values a deploy row keeps (the payload codec: the same keys as the history). */
  codec: PayloadCodec;
}) {
  /** Every call goes through the Clever Cloud breaker; a final error becomes a non-retryable failure. */
  async function clever<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await breakers.run(breakerNames.cleverCloud, call, cleverJudge);
    } catch (err) {
      throw err instanceof CleverApiError ? err.toFailure() : err;
    }
  }

  async function readApplication(input: {
    ownerId: string;
    appId: string;
  }): Promise<{ commitId: string | null; name: string }> {
    const app = await clever(() => client.getApplication(input.ownerId, input.appId));
    return { commitId: app.commitId, name: app.name };
  }

  async function lastGoodCommit(input: { ownerId: string; appId: string; except: string }): Promise<string | null> {
    const [row] = await sql<{ commit: string }[]>`
      select commit from deployments where owner_id = ${input.ownerId} and app_id = ${input.appId} and outcome = 'OK' and commit <> ${input.except}
       order by finished_at desc limit 1`;
    return row?.commit ?? null;
  }

  /**
   * Starts the deployment of this attempt at most once. The attempt row says
   * whether a redeploy call was already sent; if so, the deployment of this
   * commit that appeared since is adopted instead of calling again.
   */
  async function startRedeploy(ref: AttemptRef): Promise<{ deploymentId: string }> {
    const [envChanges, envBefore] = await Promise.all([
      sealEnv(codec, ref.envChanges ?? {}),
      sealEnv(codec, ref.envBefore ?? {}),
    ]);
    await sql`
      insert into deployments (attempt_key, workflow_id, owner_id, app_id, commit, requested_by, env_changes, env_before, rollback_of)
      values (${ref.attemptKey}, ${ref.workflowId}, ${ref.ownerId}, ${ref.appId}, ${ref.commit}, ${ref.requestedBy},
              ${sql.json(envChanges)}, ${sql.json(envBefore)},
              ${ref.rollbackOf ? sql`(select id from deployments where attempt_key = ${ref.rollbackOf})` : null})
      on conflict (attempt_key) do nothing`;
    const [row] = await sql<
      { clever_deployment_id: string | null; post_sent_at: Date | null; post_error_status: number | null }[]
    >`
      select clever_deployment_id, post_sent_at, post_error_status from deployments where attempt_key = ${ref.attemptKey}`;
    if (row!.clever_deployment_id) return { deploymentId: row!.clever_deployment_id };

    if (row!.post_sent_at) {
      const since = row!.post_sent_at.getTime() - 5_000; // allow for clock skew between us and Clever Cloud
      const seen = (await clever(() => client.listDeployments(ref.ownerId, ref.appId, 20))).find(
        (d) => d.commit === ref.commit && d.date >= since,
      );
      if (seen) return record(ref.attemptKey, seen.uuid);
      const refusedOutright = row!.post_error_status === 429 || row!.post_error_status === 503;
      const grace = refusedOutright ? APPEAR_GRACE_AFTER_ERROR_MS : APPEAR_GRACE_AFTER_SILENCE_MS;
      if (Date.now() - row!.post_sent_at.getTime() < grace) {
        refuse('DeploymentNotVisibleYet', 'redeploy was requested; its deployment is not listed yet');
      }
      logger.warn({ attemptKey: ref.attemptKey }, 'redeploy call left no deployment: calling again');
    }
    // Admitted before the attempt row says a call was sent: a refused call must not look like one that may have started a deployment.
    const admitted = await breakers.admit(breakerNames.cleverCloud);
    await sql`update deployments set post_sent_at = now(), post_error_status = null where attempt_key = ${ref.attemptKey}`;
    const redeploy = () => client.redeploy(ref.ownerId, ref.appId, ref.commit);
    const started = await admitted.run(redeploy, cleverJudge).catch(async (err: unknown) => {
      if (err instanceof CleverApiError && err.status > 0) {
        await sql`update deployments set post_error_status = ${err.status} where attempt_key = ${ref.attemptKey}`;
      }
      throw err instanceof CleverApiError ? err.toFailure() : err;
    });
    if (!started.deploymentId)
      refuse('CleverRequestRefused', `redeploy answered without a deployment: ${started.message}`);
    logger.info(
      { ownerId: ref.ownerId, appId: ref.appId, commit: ref.commit, deploymentId: started.deploymentId },
      'redeploy started',
    );
    return record(ref.attemptKey, started.deploymentId);
  }

  async function record(attemptKey: string, deploymentId: string) {
    await sql`update deployments set clever_deployment_id = ${deploymentId} where attempt_key = ${attemptKey}`;
    return { deploymentId };
  }

  /** One look at the deployment; a state change is appended to the attempt's history. */
  async function pollDeployment(input: {
    attemptKey: string;
    ownerId: string;
    appId: string;
    deploymentId: string;
  }): Promise<{ state: string }> {
    const d = await clever(() => client.getDeployment(input.ownerId, input.appId, input.deploymentId));
    const state = d?.state ?? 'NOT_FOUND';
    await sql`
      update deployments set states = states || ${sql.json([{ state, at: new Date().toISOString() }])}::jsonb
       where attempt_key = ${input.attemptKey} and coalesce(states -> -1 ->> 'state', '') <> ${state}`;
    return { state };
  }

  /** The current values of the named variables (null when unset), read before any change. */
  async function readEnv(input: {
    ownerId: string;
    appId: string;
    names: string[];
  }): Promise<Record<string, string | null>> {
    const current = new Map(
      (await clever(() => client.getEnv(input.ownerId, input.appId))).map((v) => [v.name, v.value]),
    );
    return Object.fromEntries(input.names.map((name) => [name, current.get(name) ?? null]));
  }

  /** Sets or removes variables one by one: each call is idempotent, so a retried attempt is harmless. */
  async function applyEnv(input: {
    ownerId: string;
    appId: string;
    changes: Record<string, string | null>;
  }): Promise<void> {
    for (const [name, value] of Object.entries(input.changes)) {
      if (value === null)
        await clever(() =>
          client.deleteEnv(input.ownerId, input.appId, name).catch((err: unknown) => {
            if (err instanceof CleverApiError && err.status === 404) return undefined;
            throw err;
          }),
        );
      else await clever(() => client.setEnv(input.ownerId, input.appId, name, value));
    }
  }

  async function cancelDeployment(input: { ownerId: string; appId: string; deploymentId: string }): Promise<void> {
    await clever(() => client.cancelDeployment(input.ownerId, input.appId, input.deploymentId));
  }

  async function finishAttempt(input: {
    attemptKey: string;
    outcome: 'OK' | 'FAIL' | 'CANCELLED' | 'TIMED_OUT';
  }): Promise<void> {
    await sql`update deployments set outcome = ${input.outcome}, finished_at = coalesce(finished_at, now()) where attempt_key = ${input.attemptKey}`;
  }

  return {
    ...createProofs({ sql }).activities,
    readApplication,
    lastGoodCommit,
    readEnv,
    applyEnv,
    startRedeploy,
    pollDeployment,
    cancelDeployment,
    finishAttempt,
  } satisfies Omit<DeployActivities, keyof DeadLetterActivities>;
}
