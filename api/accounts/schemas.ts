import { z } from '@hono/zod-openapi';
import { provisionAccountInput } from '../../contracts/accounts.ts';
import { accountStatus } from '../common-schemas.ts';
import { apiEmail, apiText } from '../text-rules.ts';

const { admin } = provisionAccountInput.shape;

export const provisionAccountBody = z
  .object({
    name: apiText(provisionAccountInput.shape.name).openapi({ example: 'Acme Support' }),
    locale: apiText(provisionAccountInput.shape.locale.unwrap(), { blank: true })
      .default('en')
      .openapi({ example: 'en' }),
    admin: admin
      .extend({
        name: apiText(admin.shape.name).openapi({ example: 'Ada Lovelace' }),
        email: apiEmail(admin.shape.email).openapi({ example: 'ada@acme.test' }),
      })
      .strict(),
  })
  .strict()
  .openapi('ProvisionAccountRequest');

export const provisionedAccount = z
  .object({
    account: z.object({ id: z.number().int(), name: z.string() }),
    admin: z.object({ id: z.number().int(), email: z.string() }),
    sign_in_expires_at: z.string().nullable().openapi({
      format: 'date-time',
      description:
        "When the administrator's one-time sign-in link stops working (null when the request replays an earlier one). The link is mailed to the administrator's address, never answered: they redeem it at POST /v1/sign-in-links/redeem for a token of their own.",
    }),
  })
  .openapi('ProvisionedAccount');

export const account = z
  .object({
    id: z.number().int(),
    name: z.string(),
    locale: z.string(),
    status: accountStatus,
    created_at: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('Account');

const accountTarget = { id: '$response.body#/account/id' };
/** Where a new account's id leads: every account-scoped operation a client starts with. */
export const provisionedLinks = {
  GetAccount: { operationId: 'getAccount', parameters: accountTarget },
  ListMembers: { operationId: 'listMembers', parameters: accountTarget },
  AddMember: { operationId: 'addMember', parameters: accountTarget },
  ListAccessTokens: { operationId: 'listAccessTokens', parameters: accountTarget },
  CreateInbox: { operationId: 'createInbox', parameters: accountTarget },
  ListInboxes: { operationId: 'listInboxes', parameters: accountTarget },
  CreateWebhook: { operationId: 'createWebhook', parameters: accountTarget },
  ListConversations: { operationId: 'listConversations', parameters: accountTarget },
  GetAuditLog: { operationId: 'getAuditLog', parameters: accountTarget },
};
