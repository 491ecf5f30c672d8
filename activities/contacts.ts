import postgres from 'postgres';
import type { Logger } from '../config/logger.ts';
import type { WebhookSettings } from '../config/webhooks.ts';
import type { Run } from '../contracts/activities.ts';
import type {
  ContactDeleted,
  ContactFields,
  ContactRecord,
  CreateContactInput,
  DeleteContactInput,
  UpdateContactInput,
} from '../contracts/contacts.ts';
import type { Outbox } from '../contracts/webhooks.ts';
import { findContact } from '../db/contacts.ts';
import type { Sql, TransactionSql } from '../db/pool.ts';
import type { ChangedAttributes } from './contact-payloads.ts';
import { deliveriesOf, writeDeliveries } from './deliveries.ts';
import { finalIfPermanent, refuse } from './failures.ts';
import { audit } from './membership.ts';

/** The unique index of 0002 each field meets, and what a clash on it is called. */
const uniqueFields: Record<string, string> = {
  uniq_email_per_account_contact: 'email',
  uniq_phone_per_account_contact: 'phone_number',
  uniq_identifier_per_account_contact: 'identifier',
};

/** A clash with another contact of the account as a 409 naming the field; anything else as usual. */
export function clashOrFinal(accountId: number) {
  return (err: unknown): never => {
    const field = err instanceof postgres.PostgresError ? uniqueFields[err.constraint_name ?? ''] : undefined;
    if (field)
      refuse('Conflict', `Another contact of account ${accountId} already has this ${field}.`, {
        details: [[{ field, message: 'has already been taken' }]],
      });
    return finalIfPermanent(err);
  };
}

/** The columns a write sets, from the fields it was given (absent fields stay as they are). */
export function columnsOf(fields: ContactFields, current?: ContactRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const set = (column: string, value: unknown) => value !== undefined && (out[column] = value);
  set('name', fields.name);
  set('email', fields.email);
  set('phone_number', fields.phone_number);
  set('identifier', fields.identifier);
  set('avatar_url', fields.avatar_url);
  set('blocked', fields.blocked);
  // Chatwoot's update merges the attribute maps into the stored ones instead of replacing them.
  if (fields.additional_attributes)
    out.additional_attributes = { ...current?.additionalAttributes, ...fields.additional_attributes };
  if (fields.custom_attributes) out.custom_attributes = { ...current?.customAttributes, ...fields.custom_attributes };
  return out;
}

const snake: Record<string, keyof ContactRecord> = {
  name: 'name',
  email: 'email',
  phone_number: 'phoneNumber',
  identifier: 'identifier',
  avatar_url: 'avatarUrl',
  blocked: 'blocked',
  additional_attributes: 'additionalAttributes',
  custom_attributes: 'customAttributes',
};

/** The columns whose value differs from the contact's, as Chatwoot's `changed_attributes`. */
export function changesOf(current: ContactRecord, columns: Record<string, unknown>): ChangedAttributes {
  return Object.entries(columns)
    .filter(([column, value]) => JSON.stringify(current[snake[column]!]) !== JSON.stringify(value))
    .map(([column, value]) => ({ [column]: { previous_value: current[snake[column]!], current_value: value } }));
}

/** Column values as postgres.js sends them: the attribute maps as JSON. */
const asValues = (tx: TransactionSql, columns: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(columns).map(([k, v]) => [k, k.endsWith('_attributes') ? tx.json(v as never) : v]),
  ) as Record<string, never>;

export async function writeColumns(tx: TransactionSql, contactId: number, columns: Record<string, unknown>) {
  if (Object.keys(columns).length)
    await tx`update contacts set ${tx(asValues(tx, columns))}, updated_at = now() where id = ${contactId}`;
}

/** A retried attempt after its commit: what the run did, from its audit row. */
async function doneBefore(tx: TransactionSql, workflowId: string, action: string) {
  const [row] = await tx<{ subject_id: string; details: Record<string, unknown> }[]>`
    select subject_id, details from audit_log where workflow_id = ${workflowId} and action = ${action}`;
  return row;
}

export function createContactActivities({
  sql,
  logger,
  webhooks,
}: {
  sql: Sql;
  logger: Logger;
  webhooks: WebhookSettings;
}) {
  const outbox = (deliveries: string[]): Outbox => ({ deliveries, policy: webhooks.policy });
  const again = async (tx: TransactionSql, workflowId: string) => outbox(await deliveriesOf(tx, workflowId));

  async function createContact(cmd: Run<CreateContactInput>): Promise<{ result: ContactRecord; outbox: Outbox }> {
    return sql
      .begin(async (tx) => {
        const done = await doneBefore(tx, cmd.workflowId, 'contact.created');
        const earlier = done && (await findContact(tx, cmd.accountId, Number(done.subject_id)));
        if (earlier) return { result: earlier, outbox: await again(tx, cmd.workflowId) };
        const columns = { name: '', ...columnsOf(cmd.fields), account_id: cmd.accountId };
        const [row] = await tx<{ id: number }[]>`insert into contacts ${tx(asValues(tx, columns))} returning id`;
        await audit(tx, {
          accountId: cmd.accountId,
          actor: cmd.actor,
          action: 'contact.created',
          subject: 'Contact',
          subjectId: row!.id,
          workflowId: cmd.workflowId,
        });
        const deliveries = await writeDeliveries(tx, {
          accountId: cmd.accountId,
          sourceKey: cmd.workflowId,
          events: [{ event: 'contact_created', contactId: row!.id }],
        });
        logger.info({ accountId: cmd.accountId, contactId: row!.id }, 'contact created');
        return { result: (await findContact(tx, cmd.accountId, row!.id))!, outbox: outbox(deliveries) };
      })
      .catch(clashOrFinal(cmd.accountId));
  }

  async function updateContact(cmd: Run<UpdateContactInput>): Promise<{ result: ContactRecord; outbox: Outbox }> {
    return sql
      .begin(async (tx) => {
        await tx`select 1 from contacts where account_id = ${cmd.accountId} and id = ${cmd.contactId} for update`;
        const current = await findContact(tx, cmd.accountId, cmd.contactId);
        if (!current) refuse('NotFound', `Contact ${cmd.contactId} does not exist in account ${cmd.accountId}.`);
        if (await doneBefore(tx, cmd.workflowId, 'contact.updated'))
          return { result: current, outbox: await again(tx, cmd.workflowId) };
        const changed = changesOf(current, columnsOf(cmd.fields, current));
        if (!changed.length) return { result: current, outbox: outbox([]) };
        await writeColumns(tx, cmd.contactId, Object.assign({}, ...changed.map((c) => mapValues(c))));
        await audit(tx, {
          accountId: cmd.accountId,
          actor: cmd.actor,
          action: 'contact.updated',
          subject: 'Contact',
          subjectId: cmd.contactId,
          details: { fields: changed.map((c) => Object.keys(c)[0]) },
          workflowId: cmd.workflowId,
        });
        const deliveries = await writeDeliveries(tx, {
          accountId: cmd.accountId,
          sourceKey: cmd.workflowId,
          events: [{ event: 'contact_updated', contactId: cmd.contactId, changed }],
        });
        return { result: (await findContact(tx, cmd.accountId, cmd.contactId))!, outbox: outbox(deliveries) };
      })
      .catch(clashOrFinal(cmd.accountId));
  }

  /** Chatwoot's destroy: the contact's conversations (and their messages) go with it. */
  async function deleteContact(cmd: Run<DeleteContactInput>): Promise<ContactDeleted> {
    return sql
      .begin(async (tx) => {
        const done = await doneBefore(tx, cmd.workflowId, 'contact.deleted');
        if (done) return { contactId: cmd.contactId, conversations: done.details.conversations as number[] };
        const [contact] = await tx`
          select 1 from contacts where account_id = ${cmd.accountId} and id = ${cmd.contactId} for update`;
        if (!contact) refuse('NotFound', `Contact ${cmd.contactId} does not exist in account ${cmd.accountId}.`);
        const conversations = await tx<{ display_id: number }[]>`
          select display_id from conversations where contact_id = ${cmd.contactId} order by display_id`;
        await tx`delete from contacts where id = ${cmd.contactId}`;
        const ids = conversations.map((c) => c.display_id);
        await audit(tx, {
          accountId: cmd.accountId,
          actor: cmd.actor,
          action: 'contact.deleted',
          subject: 'Contact',
          subjectId: cmd.contactId,
          details: { conversations: ids },
          workflowId: cmd.workflowId,
        });
        logger.info(
          { accountId: cmd.accountId, contactId: cmd.contactId, conversations: ids.length },
          'contact deleted',
        );
        return { contactId: cmd.contactId, conversations: ids };
      })
      .catch(finalIfPermanent);
  }

  return { createContact, updateContact, deleteContact };
}

const mapValues = (change: ChangedAttributes[number]) =>
  Object.fromEntries(Object.entries(change).map(([column, { current_value }]) => [column, current_value]));
