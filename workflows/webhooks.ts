import { singleWrite } from './single-write.ts';
import { createWebhookInput, deleteWebhookInput, updateWebhookInput } from './webhooks.types.ts';

export const createWebhook = singleWrite('createWebhook', createWebhookInput);
export const updateWebhook = singleWrite('updateWebhook', updateWebhookInput);
export const deleteWebhook = singleWrite('deleteWebhook', deleteWebhookInput);
