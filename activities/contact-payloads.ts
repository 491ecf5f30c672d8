import type { Sql, TransactionSql } from '../db/pool.ts';

/** `changed_attributes` as Chatwoot's listeners send it: one-key objects, in the order the fields changed. */
export type ChangedAttributes = Record<string, { previous_value: unknown; current_value: unknown }>[];

export type ContactEventSubject =
  | { event: 'contact_created'; contactId: number }
  | { event: 'contact_updated'; contactId: number; changed: ChangedAttributes };

/** Chatwoot's contact `webhook_data` (`avatar` and `thumbnail` are both the avatar's URL, '' without one) + `event`. */
export async function contactPayload(
  sql: Sql | TransactionSql,
  subject: ContactEventSubject,
): Promise<Record<string, unknown>> {
  const [c] = await sql<
    {
      id: number;
      name: string;
      email: string | null;
      phone_number: string | null;
      identifier: string | null;
      avatar_url: string | null;
      blocked: boolean;
      additional_attributes: Record<string, unknown>;
      custom_attributes: Record<string, unknown>;
      account_id: number;
      account_name: string;
    }[]
  >`
    select ct.id, ct.name, ct.email, ct.phone_number, ct.identifier, ct.avatar_url, ct.blocked,
           ct.additional_attributes, ct.custom_attributes, a.id as account_id, a.name as account_name
      from contacts ct join accounts a on a.id = ct.account_id where ct.id = ${subject.contactId}`;
  if (!c) throw new Error(`contact ${subject.contactId} not found`);
  return {
    event: subject.event,
    account: { id: c.account_id, name: c.account_name },
    additional_attributes: c.additional_attributes,
    avatar: c.avatar_url ?? '',
    custom_attributes: c.custom_attributes,
    email: c.email,
    id: c.id,
    identifier: c.identifier,
    name: c.name,
    phone_number: c.phone_number,
    thumbnail: c.avatar_url ?? '',
    blocked: c.blocked,
    ...(subject.event === 'contact_updated' && { changed_attributes: subject.changed }),
  };
}
