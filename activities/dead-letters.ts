import type { PayloadCodec } from '@temporalio/common';
import type { Logger } from '../config/logger.ts';
import { redactSecrets } from '../config/redact.ts';
import type { DeadLetterActivities } from '../contracts/activities.ts';
import type { Actor } from '../contracts/common.ts';
import type { DeadLetterRecord, DiscardedLetter, RetryClaim } from '../contracts/dead-letters.ts';
import type { Run } from '../contracts/activities.ts';
import type { DiscardDeadLetterInput, DeadLetterFilter } from '../contracts/dead-letters.ts';
import { unsignedArgs } from '../domain/actor-proof.ts';
import { findDeadLetter, openLettersMatching } from '../db/dead-letters.ts';
import type { Sql } from '../db/pool.ts';
import { pruneBatch } from '../db/retention.ts';
import { refuse } from './failures.ts';
import { audit } from './audit.ts';
import { openArgs, sealArgs } from './sealed-input.ts';

interface Deps {
  sql: Sql;
  logger: Logger;
  codec: PayloadCodec;
}

const asNumber = (v: string | number | undefined) => (v === undefined || v === '' ? null : Number(v));

/**
 * The one writer of dead letters, registered on every worker (core, deploy,
 * assets): the interceptor calls it on the failing run's own task queue. One
 * row per run, so a retried activity writes it once. A run that retried an
 * earlier letter carries that letter's first failure forward.
 */
export function createDeadLetterRecorder({ sql, logger, codec }: Deps): DeadLetterActivities {
  async function recordDeadLetter(letter: DeadLetterRecord): Promise<void> {
    // No proof is kept, not even sealed: a retry is a new run and the worker signs it afresh.
    const sealed = await sealArgs(codec, unsignedArgs(letter.args));
    const ids = { ...letter.ids };
    if (ids.deliveryId !== undefined && ids.webhookId === undefined) {
      const [d] = await sql<{ webhook_id: number | null; inbox_id: number | null; message_id: number | null }[]>`
        select webhook_id, inbox_id, message_id from webhook_deliveries where id = ${String(ids.deliveryId)}`;
      if (d?.webhook_id) ids.webhookId = d.webhook_id;
      if (d?.inbox_id) ids.inboxId = d.inbox_id;
      if (d?.message_id) ids.messageId = d.message_id;
    }
    const path = `/namespaces/${encodeURIComponent(letter.namespace)}/workflows/${encodeURIComponent(letter.workflowId)}/${letter.runId}/history`;
    const [row] = await sql<{ id: number }[]>`
      insert into dead_letters (kind, workflow_type, task_queue, workflow_id, run_id, account_id, app_id, business_ids,
                                input_redacted, input_sealed, failure_type, failure_message, attempts, first_failure_at, web_ui_path)
      values (${letter.kind}, ${letter.workflowType}, ${letter.taskQueue}, ${letter.workflowId}, ${letter.runId},
              ${asNumber(ids.accountId)}, ${ids.appId === undefined ? null : String(ids.appId)}, ${sql.json(ids)},
              ${sql.json(redactSecrets(letter.args) as never)}, ${sealed}, ${letter.failureType},
              ${letter.failureMessage.slice(0, 4000)}, ${letter.attempts},
              coalesce((select min(first_failure_at) from dead_letters where retry_run_id = ${letter.runId}), now()),
              ${path})
      on conflict (run_id) do nothing returning id`;
    if (row)
      logger.warn(
        { letterId: row.id, kind: letter.kind, workflowId: letter.workflowId, failureType: letter.failureType },
        'dead letter recorded',
      );
  }
  return { recordDeadLetter };
}

const actorName = (actor: Actor) => `${actor.type}:${actor.id}`;
const PURGE_BATCH = 1000;

/** Retry, bulk selection, discard and retention of dead letters (core queue). */
export function createDeadLetterActivities({
  sql,
  logger,
  codec,
  resign,
}: Deps & {
  /** Signs a retry's arguments for its new run: the dead run's proof is spent, or too old, or not stored at all. */
  resign: (type: string, workflowId: string, args: unknown[]) => Promise<unknown[]>;
}) {
  /**
   * Takes the letter for one retry: the first claimer (a retry workflow run) wins and
   * gets the sealed input back; everyone after learns where the new run is. The
   * claimer may call again (a retried activity) and still get the input.
   */
  async function claimDeadLetterRetry(input: { letterId: number; claimer: string; actor: Actor }): Promise<RetryClaim> {
    const claim = await sql.begin(async (tx) => {
      const [row] = await tx<
        {
          status: string;
          workflow_type: string;
          workflow_id: string;
          input_sealed: Uint8Array;
          account_id: number | null;
          retry_claimed_by: string | null;
          retry_workflow_id: string | null;
          retry_run_id: string | null;
        }[]
      >`select status, workflow_type, workflow_id, input_sealed, account_id, retry_claimed_by, retry_workflow_id, retry_run_id
          from dead_letters where id = ${input.letterId} for update`;
      if (!row) refuse('NotFound', `Dead letter ${input.letterId} does not exist.`);
      if (row.status === 'discarded') refuse('Conflict', `Dead letter ${input.letterId} was discarded.`);
      const mine = row.retry_claimed_by === input.claimer && row.retry_run_id === null;
      if (row.status === 'retried' && !mine) {
        return {
          outcome: 'already',
          workflowId: row.retry_workflow_id ?? row.workflow_id,
          runId: row.retry_run_id,
        } as const;
      }
      await tx`
        update dead_letters set status = 'retried', retried_by = ${actorName(input.actor)}, retried_at = now(),
               retry_claimed_by = ${input.claimer}, retry_workflow_id = ${row.workflow_id}
         where id = ${input.letterId}`;
      await audit(tx, {
        accountId: null,
        actor: input.actor,
        action: 'dead_letter.retry',
        subject: 'dead_letter',
        subjectId: input.letterId,
        details: { workflowId: row.workflow_id, accountId: row.account_id },
        workflowId: `${input.claimer}#${input.letterId}`,
      });
      return { outcome: 'claimed', row } as const;
    });
    if (claim.outcome === 'already') return claim;
    const { row } = claim;
    return {
      outcome: 'claimed',
      workflowType: row.workflow_type,
      workflowId: row.workflow_id,
      args: await resign(row.workflow_type, row.workflow_id, await openArgs(codec, row.input_sealed)),
    };
  }

  async function markDeadLetterRetried(input: { letterId: number; workflowId: string; runId: string }): Promise<void> {
    await sql`update dead_letters set retry_workflow_id = ${input.workflowId}, retry_run_id = ${input.runId}
               where id = ${input.letterId}`;
    logger.info(input, 'dead letter retried');
  }

  /** Gives a claimed letter back when its run could not start (the id is running again). */
  async function releaseDeadLetter(input: { letterId: number; claimer: string }): Promise<void> {
    await sql`update dead_letters set status = 'open', retried_by = null, retried_at = null, retry_claimed_by = null,
                      retry_workflow_id = null
               where id = ${input.letterId} and retry_claimed_by = ${input.claimer} and retry_run_id is null`;
  }

  function matchingDeadLetters(input: { filter: DeadLetterFilter; limit: number }) {
    return openLettersMatching(sql, input.filter, input.limit);
  }

  async function discardDeadLetter(cmd: Run<DiscardDeadLetterInput>): Promise<DiscardedLetter> {
    return sql.begin(async (tx) => {
      const letter = await findDeadLetter(tx, cmd.letterId);
      if (!letter) refuse('NotFound', `Dead letter ${cmd.letterId} does not exist.`);
      if (letter.status === 'retried') refuse('Conflict', `Dead letter ${cmd.letterId} was already retried.`);
      if (letter.status === 'discarded') return { letterId: cmd.letterId, status: 'discarded', changed: false };
      await tx`update dead_letters set status = 'discarded', discard_reason = ${cmd.reason},
                      discarded_by = ${actorName(cmd.actor)}, discarded_at = now() where id = ${cmd.letterId}`;
      await audit(tx, {
        accountId: null,
        actor: cmd.actor,
        action: 'dead_letter.discard',
        subject: 'dead_letter',
        subjectId: cmd.letterId,
        details: { reason: cmd.reason, workflowId: letter.workflow_id, accountId: letter.account_id },
        workflowId: cmd.workflowId,
      });
      return { letterId: cmd.letterId, status: 'discarded', changed: true };
    });
  }

  /**
   * Retention: letters whose last failure is older than the window go, whatever their status, a batch per
   * statement so no lock is held long; a crash part-way leaves the rest to the next run.
   */
  async function purgeDeadLetters(input: { retentionDays: number }): Promise<{ deleted: number }> {
    const before = new Date(Date.now() - input.retentionDays * 86_400_000);
    let deleted = 0;
    for (;;) {
      const n = await pruneBatch(sql, 'dead_letters', before, PURGE_BATCH);
      deleted += n;
      if (n < PURGE_BATCH) break;
    }
    if (deleted) logger.info({ deleted, retentionDays: input.retentionDays }, 'dead letters purged');
    return { deleted };
  }

  return {
    claimDeadLetterRetry,
    releaseDeadLetter,
    markDeadLetterRetried,
    matchingDeadLetters,
    discardDeadLetter,
    purgeDeadLetters,
  };
}
