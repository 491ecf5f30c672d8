import { createHash } from 'node:crypto';
import { Context } from '@temporalio/activity';
import type { Logger } from '../config/logger.ts';
import type { DeliveryPolicy, WebhookSettings } from '../config/webhooks.ts';
import type { Sql, TransactionSql } from '../db/pool.ts';
import type { DeliveryOutcome } from '../contracts/webhooks.ts';
import { refuse } from './failures.ts';
import { buildPayload, type EventSubject } from './webhook-payloads.ts';
import { signWebhook } from './webhook-signature.ts';
import { postWebhook, type PostResult } from './webhook-post.ts';
import { breakerNames } from '../config/breakers.ts';
import type { Breakers, Judge } from './breaker.ts';
import { dependencyFailing } from './http-answer.ts';

/** No answer, 5xx or 429 is the receiving host failing; any other status is its answer, and a refused target is ours. */
export const webhookJudge: Judge<PostResult> = {
  error: () => undefined,
  result: (r) =>
    r.unsafe
      ? undefined
      : r.status === undefined
        ? (r.error ?? 'no answer')
        : dependencyFailing(r.status)
          ? `receiver answered ${r.status}`
          : undefined,
};

/** A delivery id that depends only on what caused it, so every retry of the fan-out finds the same rows. */
export function deliveryId(sourceWorkflowId: string, index: number, event: string, webhookId: number): string {
  const h = createHash('sha256').update(`${sourceWorkflowId}|${index}|${event}|${webhookId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** ±20 % around the exponential step, so attempts of many deliveries spread out yet gaps still grow. */
export function jitteredDelay(policy: DeliveryPolicy, attempt: number, random = Math.random()): number {
  const step = Math.min(policy.maxIntervalMs, policy.initialIntervalMs * 2 ** (attempt - 1));
  return Math.round(step * (0.8 + 0.4 * random));
}

/**
 * The outbox: one pending delivery per subscribed webhook and event, written in
 * the caller's transaction, so an event exists exactly when its change does.
 * Ids derive from the source, so a retried transaction finds the same rows.
 * A public outgoing message of an API-channel inbox also goes to the inbox's
 * `webhook_url` (Chatwoot's callback), a delivery that decides the message's status.
 */
export async function writeDeliveries(
  tx: TransactionSql,
  input: { accountId: number; sourceKey: string; events: EventSubject[] },
): Promise<string[]> {
  const ids: string[] = [];
  for (const [index, subject] of input.events.entries()) {
    const targets = await tx<{ id: number }[]>`
      select id from webhooks where account_id = ${input.accountId} and status = 'enabled' and ${subject.event} = any(subscriptions) order by id`;
    const callback = subject.event === 'message_created' ? await callbackOf(tx, subject.messageId) : undefined;
    if (!targets.length && !callback) continue;
    const payload = tx.json((await buildPayload(tx, subject)) as never);
    for (const target of targets) {
      const id = deliveryId(input.sourceKey, index, subject.event, target.id);
      await tx`
        insert into webhook_deliveries (id, webhook_id, account_id, event, payload, workflow_id, source_key)
        values (${id}, ${target.id}, ${input.accountId}, ${subject.event}, ${payload}, ${`delivery:${id}`}, ${input.sourceKey})
        on conflict (id) do nothing`;
      ids.push(id);
    }
    if (callback) {
      const id = deliveryId(input.sourceKey, index, `inbox:${subject.event}`, callback.inbox_id);
      await tx`
        insert into webhook_deliveries (id, inbox_id, message_id, account_id, event, payload, workflow_id, source_key)
        values (${id}, ${callback.inbox_id}, ${callback.message_id}, ${input.accountId}, ${subject.event}, ${payload},
                ${`delivery:${id}`}, ${input.sourceKey})
        on conflict (id) do nothing`;
      ids.push(id);
    }
  }
  return ids;
}

/** The inbox whose callback receives this message: outgoing, not private, in an API channel with a `webhook_url`. */
async function callbackOf(tx: TransactionSql, messageId: number) {
  const [row] = await tx<{ inbox_id: number; message_id: number }[]>`
    select i.id as inbox_id, m.id as message_id from messages m join inboxes i on i.id = m.inbox_id
     where m.id = ${messageId} and m.message_type = 'outgoing' and not m.private
       and i.channel_type = 'Channel::Api' and i.webhook_url is not null`;
  return row;
}

export async function deliveriesOf(sql: Sql | TransactionSql, sourceKey: string): Promise<string[]> {
  const rows = await sql<
    { id: string }[]
  >`select id from webhook_deliveries where source_key = ${sourceKey} order by created_at, id`;
  return rows.map((r) => r.id);
}

export function createDeliveryActivities({
  sql,
  logger,
  webhooks,
  breakers,
}: {
  sql: Sql;
  logger: Logger;
  webhooks: WebhookSettings;
  breakers: Breakers;
}) {
  /** One attempt: POST, record it, and tell Temporal whether and when to try again. */
  async function sendWebhook(id: string): Promise<DeliveryOutcome> {
    const [d] = await sql<
      {
        status: string;
        attempts: number;
        payload: unknown;
        event: string;
        url: string;
        secret: string;
        webhook_status: string;
        webhook_id: number | null;
        inbox_id: number | null;
        message_id: number | null;
        account_status: string;
      }[]
    >`
      select d.status, d.attempts, d.payload, d.event, d.webhook_id, d.inbox_id, d.message_id, a.status as account_status,
             coalesce(w.url, i.webhook_url) as url, coalesce(w.secret, i.webhook_secret) as secret,
             case when w.id is not null then w.status when i.webhook_url is not null then 'enabled' else 'disabled' end as webhook_status
        from webhook_deliveries d left join webhooks w on w.id = d.webhook_id left join inboxes i on i.id = d.inbox_id
        join accounts a on a.id = d.account_id where d.id = ${id}`;
    if (!d) refuse('NotFound', `Delivery ${id} does not exist.`);
    if (d.status === 'delivered') return { status: 'delivered', attempts: d.attempts };
    const skip =
      d.account_status !== 'active'
        ? 'account suspended'
        : d.webhook_status !== 'enabled'
          ? d.inbox_id === null
            ? 'webhook disabled'
            : 'inbox has no webhook_url'
          : null;
    if (skip) {
      await sql`update webhook_deliveries set status = 'skipped', finished_at = now(), last_error = ${skip} where id = ${id}`;
      return { status: 'skipped', attempts: d.attempts };
    }

    const body = JSON.stringify(d.payload);
    const timestamp = Math.floor(Date.now() / 1000);
    const startedAt = new Date();
    // One breaker per receiving host: a host that is down is not called by any worker until a trial says it is back.
    const post = () =>
      postWebhook(d.url, body, webhooks, {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        'User-Agent': 'Capstan-Webhooks/1',
        'X-Capstan-Event': d.event,
        'X-Capstan-Delivery': id,
        'X-Capstan-Timestamp': String(timestamp),
        'X-Capstan-Signature': signWebhook(d.secret, timestamp, body),
      });
    const result = await breakers.run(breakerNames.webhook(d.url), post, webhookJudge);
    const durationMs = Date.now() - startedAt.getTime();
    const delivered = result.status !== undefined && result.status >= 200 && result.status < 300;
    const redirected = result.status !== undefined && result.status >= 300 && result.status < 400;
    const error = delivered
      ? null
      : (result.error ?? `receiver answered ${result.status}${redirected ? ' (redirects are not followed)' : ''}`);

    const [{ attempts } = { attempts: 0 }] = await sql.begin(async (tx) => {
      await tx`
        insert into webhook_attempts (delivery_id, attempt, status_code, duration_ms, error, started_at)
        values (${id}, (select attempts + 1 from webhook_deliveries where id = ${id}), ${result.status ?? null}, ${durationMs}, ${error}, ${startedAt})`;
      // A callback delivered after its message was marked failed (a retried dead letter) makes it sent again.
      if (delivered && d.message_id !== null)
        await tx`update messages set status = 'sent', external_error = null where id = ${d.message_id} and status = 'failed'`;
      return tx<{ attempts: number }[]>`
        update webhook_deliveries set attempts = attempts + 1, last_error = ${error},
               status = case when ${delivered} then 'delivered' else status end,
               finished_at = case when ${delivered} then now() else finished_at end
         where id = ${id} returning attempts`;
    });
    logger.info(
      {
        deliveryId: id,
        webhookId: d.webhook_id,
        inboxId: d.inbox_id,
        status: result.status,
        durationMs,
        attempt: attempts,
      },
      delivered ? 'webhook delivered' : 'webhook attempt failed',
    );
    if (delivered) return { status: 'delivered', attempts };

    if (result.status === 410 && d.webhook_id !== null) {
      await sql`update webhooks set status = 'disabled', disabled_reason = 'receiver answered 410 Gone', updated_at = now() where id = ${d.webhook_id}`;
      refuse('WebhookGone', 'receiver answered 410 Gone: subscription disabled');
    }
    if (result.status === 410) refuse('WebhookGone', 'receiver answered 410 Gone');
    if (result.unsafe) refuse('UnsafeTarget', error!);
    refuse('WebhookAttemptFailed', error!, {
      nextRetryDelay: jitteredDelay(webhooks.policy, Context.current().info.attempt),
    });
  }

  /**
   * Ends a delivery that will not be retried any more, keeping what is needed to retry it by hand. A callback's
   * message is marked failed with the reason, Chatwoot's `external_error`.
   */
  async function markDeliveryDead(input: { deliveryId: string; reason: string }): Promise<DeliveryOutcome> {
    const [row] = await sql.begin(async (tx) => {
      const rows = await tx<{ status: DeliveryOutcome['status']; attempts: number; message_id: number | null }[]>`
        update webhook_deliveries set status = case when status = 'pending' then 'dead' else status end,
               last_error = case when status = 'pending' then ${input.reason} else last_error end,
               finished_at = coalesce(finished_at, now())
         where id = ${input.deliveryId} returning status, attempts, message_id`;
      const messageId = rows[0]?.status === 'dead' ? rows[0].message_id : null;
      if (messageId !== null)
        await tx`update messages set status = 'failed', external_error = ${input.reason.slice(0, 1000)}
                  where id = ${messageId} and status in ('sent', 'failed')`;
      return rows;
    });
    if (row?.status === 'dead')
      logger.warn({ deliveryId: input.deliveryId, reason: input.reason }, 'webhook delivery dead');
    return { status: row?.status ?? 'dead', attempts: row?.attempts ?? 0, error: input.reason };
  }

  return { sendWebhook, markDeliveryDead };
}
