/** The workflow bundle's entry point: every workflow type the workers run. */
export { provisionAccount } from './provision-account.ts';
export { addMember, changeRole, removeMember, createAccessToken, revokeAccessToken } from './members.ts';
export { createInbox } from './inboxes.ts';
export { ingestMessage, changeConversationStatus } from './messages.ts';
export { createWebhook, updateWebhook, deleteWebhook } from './webhooks.ts';
export { deliverWebhook } from './deliver-webhook.ts';
export { deployApplication } from './deploy-application.ts';
export { licenceHeartbeat, reconcilePremiumFeatures } from './licence.ts';
