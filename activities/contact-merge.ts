import postgres from 'postgres';
import type { Logger } from '../config/logger.ts';
import type { WebhookSettings } from '../config/webhooks.ts';
import type { Run } from '../contracts/activities.ts';
import type { ContactRecord, ContactsMerged, MergeContactsInput } from '../contracts/contacts.ts';
import type { Outbox } from '../contracts/webhooks.ts';
import { findContact } from '../db/contacts.ts';
import type { Sql, TransactionSql } from '../db/pool.ts';
import { changesOf, clashOrFinal, writeColumns } from './contacts.ts';
import { deliveriesOf, writeDeliveries } from './deliveries.ts';
import { refuse } from './failures.ts';
import { audit } from './membership.ts';
import type { EventSubject } from './webhook-payloads.ts';

/** Rails' `blank?` for the values a contact holds. */
const blank = (v: unknown) =>
  v === null ||
  v === undefined ||
  (typeof v === 'string' && v.trim() === '') ||
  (typeof v === 'object' && Object.keys(v).length === 0);

const isMap = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Rails' `deep_merge`: `over` wins, maps present in both are merged key by key. */
export function deepMerge(under: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out = { ...under };
  for (const [k, v] of Object.entries(over)) out[k] = isMap(out[k]) && isMap(v) ? deepMerge(out[k], v) : v;
  return out;
}

/**
 * Chatwoot's ContactMergeAction rule: of identifier, name, email, phone number and both attribute maps, the
 * base keeps every value it has; a blank one is filled from the mergee; the maps are deep-merged, base first.
 */
export function mergedColumns(base: ContactRecord, mergee: ContactRecord): Record<string, unknown> {
  const pick = (c: ContactRecord) =>
    Object.fromEntries(
      Object.entries({
        identifier: c.identifier,
        name: c.name,
        email: c.email,
        phone_number: c.phoneNumber,
        additional_attributes: c.additionalAttributes,
        custom_attributes: c.customAttributes,
      }).filter(([, v]) => !blank(v)),
    );
  return deepMerge(pick(mergee), pick(base));
}

/** A move refused by the one-open-conversation rule (its unique index). */
const isOpenClash = (err: unknown) =>
  err instanceof postgres.PostgresError && err.code === '23505' && err.table_name === 'conversations';

export function createContactMerge({ sql, logger, webhooks }: { sql: Sql; logger: Logger; webhooks: WebhookSettings }) {
  const moveConversations = (tx: TransactionSql, baseId: number, mergeeId: number) =>
    tx.savepoint(
      (sp) => sp<{ id: number; display_id: number }[]>`
        update conversations set contact_id = ${baseId}, updated_at = now() where contact_id = ${mergeeId}
        returning id, display_id`,
    );

  /**
   * One transaction: the mergee's conversations and the messages it sent move onto the base, the mergee is
   * deleted, then the base takes the merged values (after, so the mergee's email or phone number is free).
   * Where both have an open conversation in one inbox, Capstan's one-open-conversation rule keeps the base's
   * open and resolves the mergee's (an event says so) instead of refusing the merge.
   */
  async function mergeContacts(cmd: Run<MergeContactsInput>): Promise<{ result: ContactsMerged; outbox: Outbox }> {
    const { accountId, baseContactId: baseId, mergeeContactId: mergeeId } = cmd;
    return sql
      .begin(async (tx) => {
        const [done] = await tx<{ details: Omit<ContactsMerged, 'contact'> }[]>`
          select details from audit_log where workflow_id = ${cmd.workflowId} and action = 'contact.merged'`;
        const earlier = done && (await findContact(tx, accountId, baseId));
        if (earlier)
          return {
            result: { ...done.details, contact: earlier },
            outbox: { deliveries: await deliveriesOf(tx, cmd.workflowId), policy: webhooks.policy },
          };
        await tx`select 1 from contacts where account_id = ${accountId} and id in (${baseId}, ${mergeeId}) order by id for update`;
        const [base, mergee] = [await findContact(tx, accountId, baseId), await findContact(tx, accountId, mergeeId)];
        if (!base) refuse('NotFound', `Contact ${baseId} does not exist in account ${accountId}.`);
        if (!mergee) refuse('NotFound', `Contact ${mergeeId} does not exist in account ${accountId}.`);

        let resolved: { id: number; display_id: number }[] = [];
        let moved = await moveConversations(tx, baseId, mergeeId).catch((err) => {
          if (!isOpenClash(err)) throw err;
          return undefined;
        });
        if (!moved) {
          resolved = await tx<{ id: number; display_id: number }[]>`
            update conversations m set status = 'resolved', updated_at = now()
             where m.contact_id = ${mergeeId} and m.status = 'open'
               and exists (select 1 from conversations b where b.contact_id = ${baseId} and b.inbox_id = m.inbox_id and b.status = 'open')
            returning id, display_id`;
          moved = await moveConversations(tx, baseId, mergeeId).catch((err) => {
            if (!isOpenClash(err)) throw err;
            refuse(
              'Conflict',
              `Contacts ${baseId} and ${mergeeId} both have a conversation in one inbox that cannot be moved onto one contact; resolve one first.`,
            );
          });
        }
        const movedMessages = await tx`
          update messages set sender_id = ${baseId}
           where conversation_id = any(${moved.map((c) => c.id)}::bigint[]) and sender_type = 'Contact' and sender_id = ${mergeeId}`;
        await tx`delete from contacts where id = ${mergeeId}`;
        const changed = changesOf(base, mergedColumns(base, mergee));
        await writeColumns(
          tx,
          baseId,
          Object.fromEntries(changed.map((c) => Object.entries(c).map(([k, v]) => [k, v.current_value])[0]!)),
        );

        const summary = {
          mergeeContactId: mergeeId,
          movedConversations: moved.map((c) => c.display_id).sort((a, b) => a - b),
          resolvedConversations: resolved.map((c) => c.display_id).sort((a, b) => a - b),
          movedMessages: movedMessages.count,
        };
        await audit(tx, {
          accountId,
          actor: cmd.actor,
          action: 'contact.merged',
          subject: 'Contact',
          subjectId: baseId,
          details: summary,
          workflowId: cmd.workflowId,
        });
        const events: EventSubject[] = resolved.map((c) => ({
          event: 'conversation_status_changed',
          conversationId: c.id,
          previousStatus: 'open',
        }));
        if (changed.length) events.push({ event: 'contact_updated', contactId: baseId, changed });
        const deliveries = await writeDeliveries(tx, { accountId, sourceKey: cmd.workflowId, events });
        logger.info({ accountId, baseId, mergeeId, ...summary }, 'contacts merged');
        return {
          result: { ...summary, contact: (await findContact(tx, accountId, baseId))! },
          outbox: { deliveries, policy: webhooks.policy },
        };
      })
      .catch(clashOrFinal(accountId));
  }

  return { mergeContacts };
}
