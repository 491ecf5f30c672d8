/** The workflow bundle's entry point: every workflow type the workers run. */
import type { WorkflowFn, Workflows } from '../contracts/workflows.ts';
import { discardDeadLetter, purgeDeadLetters, retryDeadLetter, retryDeadLetters } from './dead-letters.ts';

import { buildAssets, collectAssetGarbage, rollbackAssets } from './assets.ts';
import { deliverWebhook } from './deliver-webhook.ts';
import { deployApplication } from './deploy-application.ts';
import { createInbox, rotateInboxSecret, updateInbox } from './inboxes.ts';
import { createConversation, deleteMessage, updateConversation, updateMessage } from './conversation-writes.ts';
import { licenceHeartbeat, reconcilePremiumFeatures } from './licence.ts';
import {
  acceptInvitation,
  addMember,
  changeRole,
  createBot,
  createAccessToken,
  removeMember,
  revokeAccessToken,
  revokeInvitation,
} from './members.ts';
import { inviteMember, mailInvitation } from './invitations.ts';
import { createPlatformToken, revokePlatformToken, rotatePlatformToken, setAccountStatus } from './platform.ts';
import { createContact, deleteContact, mergeContacts, updateContact } from './contacts.ts';
import {
  assignConversation,
  createLabel,
  deleteLabel,
  markConversationSeen,
  setContactLabels,
  setConversationLabels,
  updateLabel,
  wakeSnoozedConversation,
} from './conversations.ts';
import { changeConversationStatus, ingestMessage, postOutgoingMessage } from './messages.ts';
import { provisionAccount } from './provision-account.ts';
import { promoteSuperAdmin } from './promotion.ts';
import { debugAuth, extendPromotion, forceReset, revokePromotion } from './triage.ts';

import { operateSchedule } from './schedules.ts';
import { createWebhook, deleteWebhook, updateWebhook } from './webhooks.ts';
import { resetBreaker } from './breakers.ts';
import { activateBreakGlass, keepGrantEffect } from './break-glass.ts';
import { pruneProofNonces } from './proof-nonces.ts';
import { issueSignInLink, mailSignInLink, redeemSignInLink } from './sign-in-links.ts';
import { pruneExpiredState } from './housekeeping.ts';
import { pruneRetained } from './retention.ts';

export {
  provisionAccount,
  addMember,
  changeRole,
  removeMember,
  createAccessToken,
  revokeAccessToken,
  inviteMember,
  mailInvitation,
  revokeInvitation,
  acceptInvitation,
  createPlatformToken,
  rotatePlatformToken,
  revokePlatformToken,
  setAccountStatus,
  createInbox,
  updateInbox,
  createConversation,
  updateConversation,
  updateMessage,
  deleteMessage,
  ingestMessage,
  changeConversationStatus,
  createContact,
  updateContact,
  deleteContact,
  mergeContacts,
  assignConversation,
  setConversationLabels,
  setContactLabels,
  markConversationSeen,
  wakeSnoozedConversation,
  createLabel,
  updateLabel,
  deleteLabel,
  postOutgoingMessage,
  rotateInboxSecret,
  createWebhook,
  updateWebhook,
  deleteWebhook,
  deliverWebhook,
  deployApplication,
  licenceHeartbeat,
  reconcilePremiumFeatures,
  promoteSuperAdmin,
  revokePromotion,
  extendPromotion,
  forceReset,
  debugAuth,
  retryDeadLetter,
  retryDeadLetters,
  discardDeadLetter,
  purgeDeadLetters,
  operateSchedule,
  resetBreaker,
  buildAssets,
  rollbackAssets,
  collectAssetGarbage,
  activateBreakGlass,
  keepGrantEffect,
  pruneProofNonces,
  issueSignInLink,
  mailSignInLink,
  redeemSignInLink,
  createBot,
  pruneExpiredState,
  pruneRetained,
};

/** Fails to compile when a catalogue entry has no workflow, or a workflow's signature drifts from its entry. */
export type Implemented = Conforms<{
  provisionAccount: typeof provisionAccount;
  addMember: typeof addMember;
  changeRole: typeof changeRole;
  removeMember: typeof removeMember;
  createAccessToken: typeof createAccessToken;
  revokeAccessToken: typeof revokeAccessToken;
  inviteMember: typeof inviteMember;
  mailInvitation: typeof mailInvitation;
  revokeInvitation: typeof revokeInvitation;
  acceptInvitation: typeof acceptInvitation;
  createPlatformToken: typeof createPlatformToken;
  rotatePlatformToken: typeof rotatePlatformToken;
  revokePlatformToken: typeof revokePlatformToken;
  setAccountStatus: typeof setAccountStatus;
  createInbox: typeof createInbox;
  updateInbox: typeof updateInbox;
  createConversation: typeof createConversation;
  updateConversation: typeof updateConversation;
  updateMessage: typeof updateMessage;
  deleteMessage: typeof deleteMessage;
  ingestMessage: typeof ingestMessage;
  changeConversationStatus: typeof changeConversationStatus;
  createContact: typeof createContact;
  updateContact: typeof updateContact;
  deleteContact: typeof deleteContact;
  mergeContacts: typeof mergeContacts;
  assignConversation: typeof assignConversation;
  setConversationLabels: typeof setConversationLabels;
  setContactLabels: typeof setContactLabels;
  markConversationSeen: typeof markConversationSeen;
  wakeSnoozedConversation: typeof wakeSnoozedConversation;
  createLabel: typeof createLabel;
  updateLabel: typeof updateLabel;
  deleteLabel: typeof deleteLabel;
  postOutgoingMessage: typeof postOutgoingMessage;
  rotateInboxSecret: typeof rotateInboxSecret;
  createWebhook: typeof createWebhook;
  updateWebhook: typeof updateWebhook;
  deleteWebhook: typeof deleteWebhook;
  deliverWebhook: typeof deliverWebhook;
  deployApplication: typeof deployApplication;
  licenceHeartbeat: typeof licenceHeartbeat;
  reconcilePremiumFeatures: typeof reconcilePremiumFeatures;
  promoteSuperAdmin: typeof promoteSuperAdmin;
  revokePromotion: typeof revokePromotion;
  extendPromotion: typeof extendPromotion;
  forceReset: typeof forceReset;
  debugAuth: typeof debugAuth;

  retryDeadLetter: typeof retryDeadLetter;
  retryDeadLetters: typeof retryDeadLetters;
  discardDeadLetter: typeof discardDeadLetter;
  purgeDeadLetters: typeof purgeDeadLetters;
  operateSchedule: typeof operateSchedule;
  resetBreaker: typeof resetBreaker;

  buildAssets: typeof buildAssets;
  rollbackAssets: typeof rollbackAssets;
  collectAssetGarbage: typeof collectAssetGarbage;
  activateBreakGlass: typeof activateBreakGlass;
  keepGrantEffect: typeof keepGrantEffect;
  pruneProofNonces: typeof pruneProofNonces;
  issueSignInLink: typeof issueSignInLink;
  mailSignInLink: typeof mailSignInLink;
  redeemSignInLink: typeof redeemSignInLink;
  createBot: typeof createBot;
  pruneExpiredState: typeof pruneExpiredState;
  pruneRetained: typeof pruneRetained;
}>;
type Conforms<T extends { [K in keyof Workflows]: WorkflowFn<Workflows[K]> }> = T;
