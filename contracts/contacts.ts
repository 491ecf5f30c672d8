import { z } from 'zod';
import { actor } from './common.ts';
import { lazySchema } from './lazy.ts';
import { contactKey } from './messages.ts';
import type { ContactRecord } from '../domain/contact.ts';

/** Chatwoot's free-form attribute maps; bounded, since every event and read carries them whole. */
export const attributes = lazySchema('contacts.attributes', () =>
  z
    .record(z.string().max(255), z.unknown())
    .refine((o) => JSON.stringify(o).length <= 16_384, 'must be at most 16384 characters as JSON'),
);

/** A contact's fields as a write sets them; `null` clears a field (not `name`: it is never null). */
export const contactFields = lazySchema('contacts.contactFields', () =>
  z.object({
    name: contactKey.shape.name,
    email: contactKey.shape.email.unwrap().nullable().optional(),
    phone_number: contactKey.shape.phone_number.unwrap().nullable().optional(),
    identifier: contactKey.shape.identifier.unwrap().nullable().optional(),
    avatar_url: z
      .string()
      .url()
      .max(2048)
      .regex(/^https?:\/\//i, 'must be an http(s) URL')
      .nullable()
      .optional(),
    blocked: z.boolean().optional(),
    additional_attributes: attributes.optional(),
    custom_attributes: attributes.optional(),
  }),
);
export type ContactFields = z.infer<typeof contactFields>;

const accountId = () => z.number().int().positive();
const contactId = () => z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const createContactInput = lazySchema('contacts.createContactInput', () =>
  z.object({ accountId: accountId(), fields: contactFields, actor }),
);
export type CreateContactInput = z.infer<typeof createContactInput>;

export const updateContactInput = lazySchema('contacts.updateContactInput', () =>
  z.object({ accountId: accountId(), contactId: contactId(), fields: contactFields, actor }),
);
export type UpdateContactInput = z.infer<typeof updateContactInput>;

export const deleteContactInput = lazySchema('contacts.deleteContactInput', () =>
  z.object({ accountId: accountId(), contactId: contactId(), actor }),
);
export type DeleteContactInput = z.infer<typeof deleteContactInput>;

/** Chatwoot's `contact_merge`: the base keeps its values and gains the mergee's conversations, messages and blanks. */
export const mergeContactsInput = lazySchema('contacts.mergeContactsInput', () =>
  z
    .object({ accountId: accountId(), baseContactId: contactId(), mergeeContactId: contactId(), actor })
    .refine((m) => m.baseContactId !== m.mergeeContactId, {
      message: 'a contact cannot be merged into itself',
      path: ['mergeeContactId'],
    }),
);
export type MergeContactsInput = z.infer<typeof mergeContactsInput>;

export type { ContactRecord };

export interface ContactDeleted {
  contactId: number;
  /** Display ids of the conversations that went with it. */
  conversations: number[];
}

export interface ContactsMerged {
  contact: ContactRecord;
  mergeeContactId: number;
  /** Display ids of the conversations moved onto the base contact. */
  movedConversations: number[];
  /** Those of them resolved because the base already had an open conversation in their inbox. */
  resolvedConversations: number[];
  movedMessages: number;
}
