import { z } from '@hono/zod-openapi';
import { createWebhookInput, updateWebhookInput } from '../../contracts/webhooks.ts';
import { accountParam, deliveryStatus, idParam, webhookStatus } from '../common-schemas.ts';
import { pageQuery } from '../pagination.ts';
import { apiText, httpUrlPattern, withPattern } from '../text-rules.ts';

export const webhook = z
  .object({
    id: z.number().int(),
    account_id: z.number().int(),
    name: z.string().nullable(),
    url: z.string(),
    subscriptions: z.array(z.string()),
    status: webhookStatus,
    disabled_reason: z.string().nullable(),
    secret: z.string().openapi({ description: 'HMAC key of X-Capstan-Signature' }),
  })
  .openapi('Webhook');

export const webhookParam = accountParam.extend({ webhookId: idParam('webhookId') });
/** Delivery ids are PostgreSQL uuids: any 8-4-4-4-12 hex string, whatever its version bits. */
export const deliveryParam = webhookParam.extend({
  deliveryId: z.guid().openapi({ param: { name: 'deliveryId', in: 'path' } }),
});
export const deliveriesQuery = pageQuery.extend({ status: deliveryStatus.optional() });

/** A subscription's or an API inbox's target URL: the rule the activities apply, stated in the document. */
export const webhookUrl = (field: z.ZodString) =>
  withPattern(field, httpUrlPattern, 'must be an http or https URL without credentials').openapi({
    description:
      'Must resolve, when saved and at each delivery, to a public address (or a range WEBHOOK_ALLOWED_RANGES allows)',
    example: 'http://127.0.0.1:9000/hooks', // what the local stack (loopback allowed) takes
  });

export const createWebhookBody = createWebhookInput
  .pick({ subscriptions: true })
  .extend({
    url: webhookUrl(createWebhookInput.shape.url),
    name: apiText(createWebhookInput.shape.name.unwrap(), { blank: true }).optional(),
  })
  .strict()
  .openapi('CreateWebhookRequest');

export const updateWebhookBody = updateWebhookInput
  .pick({ subscriptions: true, enabled: true })
  .extend({
    url: webhookUrl(updateWebhookInput.shape.url.unwrap()).optional(),
    name: apiText(updateWebhookInput.shape.name.unwrap(), { blank: true }).optional(),
  })
  .strict()
  .openapi('UpdateWebhookRequest');

const target = { id: '$request.path.id', webhookId: '$response.body#/id' };
export const webhookLinks = {
  Get: { operationId: 'getWebhook', parameters: target },
  Update: { operationId: 'updateWebhook', parameters: target },
  Delete: { operationId: 'deleteWebhook', parameters: target },
  ListDeliveries: { operationId: 'listDeliveries', parameters: target },
};
/** The newest delivery of a page, when there is one. */
export const deliveryLinks = {
  GetDelivery: {
    operationId: 'getDelivery',
    parameters: {
      id: '$request.path.id',
      webhookId: '$request.path.webhookId',
      deliveryId: '$response.body#/payload/0/id',
    },
  },
};
