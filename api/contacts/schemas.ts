import { z } from '@hono/zod-openapi';
import { contactFields, type ContactRecord } from '../../contracts/contacts.ts';
import { accountParam, idParam, rowId } from '../common-schemas.ts';
import { pageQuery } from '../pagination.ts';
import { apiEmail, apiText, httpUrlPattern, phonePattern, withPattern } from '../text-rules.ts';

const f = contactFields.shape;
const attributes = (what: string) =>
  f.additional_attributes
    .unwrap()
    .clone()
    .openapi({
      description: `${what}: a JSON object of at most 16384 characters; an update merges it into the stored one`,
    });

/** The workflow's fields with the API's text rules stated; `null` clears a field. */
const fields = {
  name: apiText(f.name.unwrap(), { blank: true }).optional(),
  email: apiEmail(f.email.unwrap().unwrap())
    .nullable()
    .optional()
    .openapi({ type: ['string', 'null'] }), // apiEmail states `string`; null clears the field
  phone_number: withPattern(f.phone_number.unwrap().unwrap(), phonePattern, 'must be a phone number')
    .nullable()
    .optional(),
  identifier: apiText(f.identifier.unwrap().unwrap()).nullable().optional(),
  avatar_url: withPattern(f.avatar_url.unwrap().unwrap(), httpUrlPattern, 'must be an http(s) URL without credentials')
    .nullable()
    .optional(),
  blocked: z.boolean().optional(),
  additional_attributes: attributes('Chatwoot’s additional attributes').optional(),
  custom_attributes: attributes('Custom attributes').optional(),
};

export const createContactBody = z.object(fields).strict().openapi('CreateContactRequest', {
  description: 'Email (case-insensitive), phone number and identifier are each unique in the account',
});
export const updateContactBody = z.object(fields).strict().openapi('UpdateContactRequest');
export const mergeBody = z
  .object({
    mergee_contact_id: rowId.openapi({
      description: 'The contact merged into the one in the path, then deleted',
    }),
  })
  .strict()
  .openapi('MergeContactsRequest');

export const contactParam = accountParam.extend({ contactId: idParam('contactId') });
export const searchQuery = pageQuery.extend({
  q: apiText(z.string().trim().min(1).max(255)).openapi({
    description: 'Part of a name, email, phone number or identifier, any case',
  }),
});

/** Chatwoot's contact JSON: times are Unix seconds, `thumbnail` the avatar's URL ('' without one). */
export const contact = z
  .object({
    id: z.number().int(),
    name: z.string(),
    email: z.string().nullable(),
    phone_number: z.string().nullable(),
    identifier: z.string().nullable(),
    avatar_url: z.string().nullable(),
    thumbnail: z.string(),
    blocked: z.boolean(),
    additional_attributes: z.record(z.string(), z.unknown()),
    custom_attributes: z.record(z.string(), z.unknown()),
    last_activity_at: z.number().int().nullable(),
    created_at: z.number().int(),
  })
  .openapi('Contact');

export const merged = z
  .object({
    contact,
    mergee_contact_id: z.number().int(),
    moved_conversations: z.array(z.number().int()).openapi({ description: 'Display ids' }),
    resolved_conversations: z.array(z.number().int()).openapi({
      description: 'Of those, the ones resolved because the base contact had an open conversation in their inbox',
    }),
    moved_messages: z.number().int(),
  })
  .openapi('ContactsMerged');

export const deleted = z
  .object({
    id: z.number().int(),
    deleted_conversations: z.array(z.number().int()).openapi({ description: 'Display ids' }),
  })
  .openapi('ContactDeleted');

const unix = (iso: string) => Math.floor(Date.parse(iso) / 1000);

export function contactView(c: ContactRecord): z.infer<typeof contact> {
  return {
    id: c.id,
    name: c.name,
    email: c.email,
    phone_number: c.phoneNumber,
    identifier: c.identifier,
    avatar_url: c.avatarUrl,
    thumbnail: c.avatarUrl ?? '',
    blocked: c.blocked,
    additional_attributes: c.additionalAttributes,
    custom_attributes: c.customAttributes,
    last_activity_at: c.lastActivityAt === null ? null : unix(c.lastActivityAt),
    created_at: unix(c.createdAt),
  };
}
