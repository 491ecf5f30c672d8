import { randomBytes } from 'node:crypto';
import type { AccountLimits } from '../config/limits.ts';
import type { Logger } from '../config/logger.ts';
import type { WebhookSettings } from '../config/webhooks.ts';
import type { Sql } from '../db/pool.ts';
import type {
  CreateWebhookInput,
  DeleteWebhookInput,
  UpdateWebhookInput,
  WebhookRecord,
} from '../contracts/webhooks.ts';
import { finalIfPermanent, refuse } from './failures.ts';
import { noteGrantEffect } from './grant-effects.ts';
import { targetProblem } from './webhook-target.ts';

interface WebhookRow {
  id: number;
  account_id: number;
  url: string;
  name: string | null;
  subscriptions: string[];
  status: 'enabled' | 'disabled';
}

const toRecord = (r: WebhookRow): WebhookRecord => ({
  id: r.id,
  accountId: r.account_id,
  url: r.url,
  name: r.name,
  subscriptions: r.subscriptions,
  status: r.status,
});

export function createWebhookActivities({
  sql,
  logger,
  webhooks,
  limits,
}: {
  sql: Sql;
  logger: Logger;
  webhooks: WebhookSettings;
  limits: AccountLimits;
}) {
  async function ensureSafe(url: string): Promise<void> {
    const problem = await targetProblem(url, webhooks.allowedRanges);
    if (problem) refuse('ValidationError', `url ${problem}`);
  }

  /** The secret is made here and stays in PostgreSQL; the API reads it from there. */
  async function createWebhook(cmd: CreateWebhookInput & { workflowId: string }): Promise<WebhookRecord> {
    await ensureSafe(cmd.url);
    const secret = randomBytes(32).toString('base64url');
    const [row] = await sql
      .begin(async (tx) => {
        // Counted under the account's row lock, so concurrent creates cannot pass the cap together.
        const [account] = await tx<{ webhooks: number; mine: boolean }[]>`
        select (select count(*)::int from webhooks where account_id = a.id) as webhooks,
               exists (select 1 from webhooks where workflow_id = ${cmd.workflowId}) as mine
          from accounts a where a.id = ${cmd.accountId} for update`;
        if (account && !account.mine && account.webhooks >= limits.webhooks) {
          refuse(
            'LimitExceeded',
            `Account ${cmd.accountId} already has ${account.webhooks} webhooks, its limit; each event is delivered to every one.`,
          );
        }
        const rows = await tx<(WebhookRow & { workflow_id: string })[]>`
      insert into webhooks (account_id, url, name, subscriptions, secret, workflow_id)
      values (${cmd.accountId}, ${cmd.url}, ${cmd.name ?? null}, ${cmd.subscriptions}, ${secret}, ${cmd.workflowId})
      on conflict (account_id, url) do update set updated_at = webhooks.updated_at
      returning id, account_id, url, name, subscriptions, status, workflow_id`;
        if (rows[0]!.workflow_id === cmd.workflowId)
          await noteGrantEffect(tx, cmd.actor, { kind: 'webhook', subjectId: rows[0]!.id, accountId: cmd.accountId });
        return rows;
      })
      .catch(finalIfPermanent);
    // The same row back means an earlier attempt of this run made it; another run's row is a real conflict.
    if (row!.workflow_id !== cmd.workflowId)
      refuse('Conflict', `Account ${cmd.accountId} already has a webhook for ${cmd.url} (id ${row!.id}).`);
    logger.info({ accountId: cmd.accountId, webhookId: row!.id }, 'webhook saved');
    return toRecord(row!);
  }

  async function updateWebhook(cmd: UpdateWebhookInput & { workflowId: string }): Promise<WebhookRecord> {
    if (cmd.url) await ensureSafe(cmd.url);
    const status = cmd.enabled === undefined ? null : cmd.enabled ? 'enabled' : 'disabled';
    const [row] = await sql
      .begin(
        (tx) => tx<WebhookRow[]>`
      update webhooks set
        url = coalesce(${cmd.url ?? null}, url),
        name = coalesce(${cmd.name ?? null}, name),
        subscriptions = coalesce(${cmd.subscriptions ?? null}::text[], subscriptions),
        status = coalesce(${status}, status),
        disabled_reason = case when ${status}::text = 'enabled' then null when ${status}::text = 'disabled' then 'disabled by ' || ${cmd.actor.type} else disabled_reason end,
        updated_at = now()
       where id = ${cmd.webhookId} and account_id = ${cmd.accountId}
      returning id, account_id, url, name, subscriptions, status`,
      )
      .catch(finalIfPermanent);
    if (!row) refuse('NotFound', `Webhook ${cmd.webhookId} does not exist in account ${cmd.accountId}.`);
    return toRecord(row);
  }

  async function deleteWebhook(cmd: DeleteWebhookInput & { workflowId: string }): Promise<{ deleted: boolean }> {
    // Already gone is done: the API checked that it existed, so this is a retry after commit.
    const rows = await sql.begin(
      (tx) => tx`delete from webhooks where id = ${cmd.webhookId} and account_id = ${cmd.accountId} returning id`,
    );
    return { deleted: rows.length > 0 };
  }

  return { createWebhook, updateWebhook, deleteWebhook };
}
