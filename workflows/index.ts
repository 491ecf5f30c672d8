/** The workflow bundle's entry point: every workflow type the workers run. */
import type { WorkflowFn, Workflows } from '../contracts/workflows.ts';
import { deliverWebhook } from './deliver-webhook.ts';
import { deployApplication } from './deploy-application.ts';
import { createInbox } from './inboxes.ts';
import { licenceHeartbeat, reconcilePremiumFeatures } from './licence.ts';
import { addMember, changeRole, createAccessToken, removeMember, revokeAccessToken } from './members.ts';
import { changeConversationStatus, ingestMessage } from './messages.ts';
import { provisionAccount } from './provision-account.ts';
import { createWebhook, deleteWebhook, updateWebhook } from './webhooks.ts';

export {
  provisionAccount,
  addMember,
  changeRole,
  removeMember,
  createAccessToken,
  revokeAccessToken,
  createInbox,
  ingestMessage,
  changeConversationStatus,
  createWebhook,
  updateWebhook,
  deleteWebhook,
  deliverWebhook,
  deployApplication,
  licenceHeartbeat,
  reconcilePremiumFeatures,
};

/** Fails to compile when a catalogue entry has no workflow, or a workflow's signature drifts from its entry. */
export type Implemented = Conforms<{
  provisionAccount: typeof provisionAccount;
  addMember: typeof addMember;
  changeRole: typeof changeRole;
  removeMember: typeof removeMember;
  createAccessToken: typeof createAccessToken;
  revokeAccessToken: typeof revokeAccessToken;
  createInbox: typeof createInbox;
  ingestMessage: typeof ingestMessage;
  changeConversationStatus: typeof changeConversationStatus;
  createWebhook: typeof createWebhook;
  updateWebhook: typeof updateWebhook;
  deleteWebhook: typeof deleteWebhook;
  deliverWebhook: typeof deliverWebhook;
  deployApplication: typeof deployApplication;
  licenceHeartbeat: typeof licenceHeartbeat;
  reconcilePremiumFeatures: typeof reconcilePremiumFeatures;
}>;
type Conforms<T extends { [K in keyof Workflows]: WorkflowFn<Workflows[K]> }> = T;
