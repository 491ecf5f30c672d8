import { randomBytes } from 'node:crypto';
import type { AccountLimits } from '../config/limits.ts';
import type { Logger } from '../config/logger.ts';
import type { Sql, TransactionSql } from '../db/pool.ts';
import type { WebhookSettings } from '../config/webhooks.ts';
import type { Run } from '../contracts/activities.ts';
import type { CreateInboxInput, InboxRecord, UpdateInboxInput } from '../contracts/inboxes.ts';
import type { InboxSecretRotated, RotateInboxSecretInput } from '../contracts/outgoing.ts';
import { finalIfPermanent, refuse } from './failures.ts';
import { audit } from './audit.ts';
import { targetProblem } from './webhook-target.ts';

interface InboxRow {
  id: number;
  name: string;
  channel_type: string;
  webhook_url: string | null;
  lock: boolean;
}

const inboxRecord = (row: InboxRow, accountId: number): InboxRecord => ({
  id: row.id,
  accountId,
  name: row.name,
  channelType: row.channel_type,
  webhookUrl: row.webhook_url,
  lockToSingleConversation: row.lock,
});

export function createInboxActivities({
  sql,
  logger,
  limits,
  webhooks,
}: {
  sql: Sql;
  logger: Logger;
  limits: AccountLimits;
  webhooks: WebhookSettings;
}) {
  /**
   * An API-channel inbox. The audit row carries the workflow id, so a retried attempt finds its inbox. Its
   * callback secret is made by PostgreSQL (the column's default) and read from there, never carried in history.
   */
  /** The SSRF rule of account webhooks; checked again on the address each delivery connects to. */
  async function safeCallback(url: string | null | undefined): Promise<void> {
    if (!url) return;
    const problem = await targetProblem(url, webhooks.allowedRanges);
    if (problem)
      refuse('ValidationError', `webhook_url ${problem}`, { details: [[{ field: 'webhook_url', message: problem }]] });
  }

  async function createInbox(cmd: CreateInboxInput & { workflowId: string }): Promise<InboxRecord> {
    await safeCallback(cmd.webhookUrl);
    return sql
      .begin(async (tx) => {
        const [earlier] = await tx<{ subject_id: string }[]>`
          select subject_id from audit_log where workflow_id = ${cmd.workflowId} and action = 'inbox.created'`;
        if (!earlier) await withinCap(tx, cmd.accountId);
        const [row] = earlier
          ? await tx<InboxRow[]>`
              select id, name, channel_type, webhook_url, lock_to_single_conversation as lock from inboxes where id = ${Number(earlier.subject_id)}`
          : await tx<InboxRow[]>`
              insert into inboxes (account_id, name, webhook_url, lock_to_single_conversation)
              select ${cmd.accountId}, ${cmd.name}, ${cmd.webhookUrl ?? null}, ${cmd.lockToSingleConversation ?? false}
               where exists (select 1 from accounts where id = ${cmd.accountId})
              returning id, name, channel_type, webhook_url, lock_to_single_conversation as lock`;
        if (!row) refuse('NotFound', `Account ${cmd.accountId} does not exist.`);
        if (!earlier) {
          await tx`
            insert into audit_log (account_id, actor_type, actor_id, action, subject_type, subject_id, workflow_id)
            values (${cmd.accountId}, ${cmd.actor.type}, ${cmd.actor.id}, 'inbox.created', 'Inbox', ${String(row.id)}, ${cmd.workflowId})`;
          logger.info({ accountId: cmd.accountId, inboxId: row.id }, 'inbox created');
        }
        return inboxRecord(row, cmd.accountId);
      })
      .catch(finalIfPermanent);
  }

  async function withinCap(tx: TransactionSql, accountId: number): Promise<void> {
    const [account] = await tx<{ inboxes: number }[]>`
      select (select count(*)::int from inboxes where account_id = a.id) as inboxes from accounts a where a.id = ${accountId} for update`;
    if (account && account.inboxes >= limits.inboxes)
      refuse('LimitExceeded', `Account ${accountId} already has ${account.inboxes} inboxes, its limit.`);
  }

  /** A new secret, once per run: a retried attempt finds its audit row and leaves the secret it made. */
  async function rotateInboxSecret(cmd: Run<RotateInboxSecretInput>): Promise<InboxSecretRotated> {
    return sql
      .begin(async (tx) => {
        const [done] = await tx<{ created_at: Date }[]>`
          select created_at from audit_log where workflow_id = ${cmd.workflowId} and action = 'inbox.secret_rotated'`;
        if (done) return { inboxId: cmd.inboxId, rotatedAt: done.created_at.toISOString() };
        const [row] = await tx<{ id: number }[]>`
          update inboxes set webhook_secret = ${randomBytes(32).toString('base64url')}, updated_at = now()
           where id = ${cmd.inboxId} and account_id = ${cmd.accountId} returning id`;
        if (!row) refuse('NotFound', `Inbox ${cmd.inboxId} does not exist in account ${cmd.accountId}.`);
        await audit(tx, {
          accountId: cmd.accountId,
          actor: cmd.actor,
          action: 'inbox.secret_rotated',
          subject: 'Inbox',
          subjectId: cmd.inboxId,
          details: {},
          workflowId: cmd.workflowId,
        });
        logger.info({ accountId: cmd.accountId, inboxId: cmd.inboxId }, 'inbox secret rotated');
        return { inboxId: cmd.inboxId, rotatedAt: new Date().toISOString() };
      })
      .catch(finalIfPermanent);
  }

  /** Name, callback and lock as given (absent: kept); the callback passes the SSRF rule as on create. */
  async function updateInbox(cmd: Run<UpdateInboxInput>): Promise<InboxRecord> {
    await safeCallback(cmd.webhookUrl);
    return sql
      .begin(async (tx) => {
        const [row] = await tx<InboxRow[]>`
          update inboxes set
            name = coalesce(${cmd.name ?? null}, name),
            webhook_url = ${cmd.webhookUrl === undefined ? tx`webhook_url` : cmd.webhookUrl},
            lock_to_single_conversation = coalesce(${cmd.lockToSingleConversation ?? null}::boolean, lock_to_single_conversation),
            updated_at = now()
           where id = ${cmd.inboxId} and account_id = ${cmd.accountId}
          returning id, name, channel_type, webhook_url, lock_to_single_conversation as lock`;
        if (!row) refuse('NotFound', `Inbox ${cmd.inboxId} does not exist in account ${cmd.accountId}.`);
        const {
          actor: _actor,
          workflowId: _id,
          vouch: _vouch,
          accountId: _account,
          ...changes
        } = cmd as Run<UpdateInboxInput> & { vouch?: unknown };
        await audit(tx, {
          accountId: cmd.accountId,
          actor: cmd.actor,
          action: 'inbox.updated',
          subject: 'Inbox',
          subjectId: cmd.inboxId,
          details: { ...changes, webhookUrl: cmd.webhookUrl === undefined ? undefined : Boolean(cmd.webhookUrl) },
          workflowId: cmd.workflowId,
        });
        return inboxRecord(row, cmd.accountId);
      })
      .catch(finalIfPermanent);
  }

  return { createInbox, rotateInboxSecret, updateInbox };
}
