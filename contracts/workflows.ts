/**
 * The workflow catalogue: every workflow type Capstan runs, with its task
 * queue, id scheme, input schema, execution timeout and search attributes.
 * The API, CLI, schedules, workflows and tests start workflows through these
 * entries (workers/start.ts), never by a name written elsewhere.
 */
import type { Duration, SearchAttributePair } from '@temporalio/common';
import { defineUpdate } from '@temporalio/workflow';
import type { z } from 'zod';
import { taskQueues, type TaskQueue } from '../config/catalogue.ts';
import { searchAttributes } from '../config/search-attributes.ts';
import * as assets from './assets.ts';
import { provisionAccountInput, type ProvisionAccountResult } from './accounts.ts';
import * as admin from './admin.ts';

import * as deadLetters from './dead-letters.ts';
import { deployInput, type DeployOutcome } from './deploys.ts';
import { createInboxInput, updateInboxInput, type InboxRecord } from './inboxes.ts';
import { licenceHeartbeatInput, reconcileInput, type HeartbeatResult, type ReconcileResult } from './licence.ts';
import * as members from './members.ts';
import * as messages from './messages.ts';
import * as contacts from './contacts.ts';
import * as conversations from './conversations.ts';
import * as outgoing from './outgoing.ts';
import * as platform from './platform.ts';
import { operateScheduleInput, type ScheduleOperated } from './schedules.ts';
import * as webhooks from './webhooks.ts';
import { resetBreakerInput, type BreakerReset } from './breakers.ts';
import { pruneProofNoncesInput } from './proofs.ts';
import * as signIn from './sign-in-links.ts';
import { pruneExpiredStateInput, type PrunedState } from './housekeeping.ts';
import { pruneRetainedInput, type PrunedRows } from './retention.ts';

/** Business ids a run is found by in the Web UI (`CapstanAccountId`, `CapstanAppId`, `CapstanUserId`). */
export interface WorkflowTags {
  accountId?: number;
  appId?: string;
  userId?: number;
}

export interface WorkflowEntry<
  Type extends string = string,
  Schema extends z.ZodType = z.ZodType,
  Result = unknown,
  Key = never,
> {
  type: Type;
  /** `CapstanKind` in the Web UI; the type unless said otherwise. */
  kind?: string;
  taskQueue: TaskQueue;
  input: Schema;
  /** The workflow id, from the business key: the same key always names the same run. */
  id: (key: Key) => string;
  executionTimeout?: Duration;
  tags?: (input: z.input<Schema>) => WorkflowTags;
  /** The Web UI's one-line summary of a run: the business object it acts on, in words. Never a secret. */
  summary: (input: z.input<Schema>) => string;
  /**
   * The run answers the `written` update as soon as its write commits, before the work that follows it (mail,
   * webhook deliveries): the API starts it with that update and answers from it (api/write.ts, workflows/written.ts).
   */
  answersWhenWritten?: true;
  /** A result that is lost work all the same (retries exhausted): the dead-letter interceptor records it. */
  deadLetter?: (result: Result) => deadLetters.DeadLetterMark | undefined;
  /** Never set: carries the result type. */
  readonly result?: Result;
}

/** Answered by a run whose entry `answersWhenWritten`, with the run's result, once its write has committed. */
export const writtenUpdate = defineUpdate<unknown>('written');

/** The signature a workflow function must have to implement an entry. */
export type WorkflowFn<E> =
  E extends WorkflowEntry<string, infer S, infer R, never> ? (input: z.input<S>) => Promise<R> : never;
export type WorkflowInput<E> = E extends WorkflowEntry<string, infer S, any, never> ? z.input<S> : never;

const entry =
  <Result>() =>
  <const Type extends string, Schema extends z.ZodType, Key>(
    e: WorkflowEntry<Type, Schema, Result, Key>,
  ): WorkflowEntry<Type, Schema, Result, Key> =>
    e;

/** A single-transaction write: 10 minutes is far beyond its retries, and a stuck run ends instead of holding its id. */
const WRITE_TIMEOUT = '10 min';
type AccountKey = { accountId: number; key: string };
const byAccount = (input: { accountId: number }): WorkflowTags => ({ accountId: input.accountId });
const core = taskQueues.core;
/** A subscription is named by its host in summaries: its path may hold a secret. */
const hostOf = (url: string): string => {
  try {
    return new URL(url).host;
  } catch {
    return 'a webhook';
  }
};

export const workflows = {
  provisionAccount: entry<ProvisionAccountResult>()({
    type: 'provisionAccount',
    answersWhenWritten: true,
    taskQueue: core,
    input: provisionAccountInput,
    summary: (i) => `Provision account “${i.name}” for ${i.admin.email}`,
    executionTimeout: WRITE_TIMEOUT,
    id: ({ key }: { key: string }) => `account:${key}`,
  }),
  addMember: entry<members.Member>()({
    type: 'addMember',
    taskQueue: core,
    input: members.addMemberInput,
    summary: (i) => `Add ${i.email} as ${i.role} to account ${i.accountId}`,
    executionTimeout: WRITE_TIMEOUT,
    tags: byAccount,
    id: ({ accountId, key }: AccountKey) => `member:${accountId}:${key}`,
  }),
  changeRole: entry<members.Member>()({
    type: 'changeRole',
    taskQueue: core,
    input: members.changeRoleInput,
    summary: (i) => `Make user ${i.userId} ${i.role} in account ${i.accountId}`,
    executionTimeout: WRITE_TIMEOUT,
    tags: byAccount,
    id: ({ accountId, userId, key }: AccountKey & { userId: number }) => `member-role:${accountId}:${userId}:${key}`,
  }),
  removeMember: entry<{ removed: boolean }>()({
    type: 'removeMember',
    taskQueue: core,
    input: members.removeMemberInput,
    summary: (i) => `Remove user ${i.userId} from account ${i.accountId}`,
    executionTimeout: WRITE_TIMEOUT,
    tags: byAccount,
    id: ({ accountId, userId, key }: AccountKey & { userId: number }) => `member-remove:${accountId}:${userId}:${key}`,
  }),
  createAccessToken: entry<members.AccessTokenRecord>()({
    type: 'createAccessToken',
    taskQueue: core,
    input: members.createAccessTokenInput,
    summary: (i) => `Create token “${i.name}” (${i.token.prefix}…) for user ${i.userId} in account ${i.accountId}`,
    executionTimeout: WRITE_TIMEOUT,
    tags: byAccount,
    id: ({ accountId, key }: AccountKey) => `token:${accountId}:${key}`,
  }),
  revokeAccessToken: entry<members.AccessTokenRecord>()({
    type: 'revokeAccessToken',
    taskQueue: core,
    input: members.revokeAccessTokenInput,
    summary: (i) => `Revoke token ${i.tokenId} in account ${i.accountId}`,
    executionTimeout: WRITE_TIMEOUT,
    tags: byAccount,
    id: ({ accountId, tokenId, key }: AccountKey & { tokenId: number }) =>
      `token-revoke:${accountId}:${tokenId}:${key}`,
  }),
  inviteMember: entry<members.InvitationRecord>()({
    type: 'inviteMember',
    answersWhenWritten: true,
    taskQueue: core,
    input: members.inviteMemberInput,
    summary: (i) => `Invite ${i.email} as ${i.role} to account ${i.accountId}`,
    executionTimeout: WRITE_TIMEOUT,
    tags: byAccount,
    id: ({ accountId, key }: AccountKey) => `invitation:${accountId}:${key}`,
  }),
  /** Abandoned child of inviteMember: mail retries on its own; its id is the invitation's, so a resend is a new run. */
  mailInvitation: entry<members.MailedInvitation>()({
    type: 'mailInvitation',
    taskQueue: core,
    input: members.mailInvitationInput,
    summary: (i) => `Mail invitation ${i.invitationId} of account ${i.accountId} to the invited address`,
    executionTimeout: '1 day',
    tags: byAccount,
    id: ({ invitationId }: { invitationId: number }) => `invitation-mail:${invitationId}`,
  }),
  revokeInvitation: entry<members.InvitationRecord>()({
    type: 'revokeInvitation',
    taskQueue: core,
    input: members.revokeInvitationInput,
    summary: (i) => `Revoke invitation ${i.invitationId} of account ${i.accountId}`,
    executionTimeout: WRITE_TIMEOUT,
    tags: byAccount,
    id: ({ accountId, invitationId, key }: AccountKey & { invitationId: number }) =>
      `invitation-revoke:${accountId}:${invitationId}:${key}`,
  }),
  /** Keyed by the link's hash (or the invitation and user): accepting twice is one run. */
  acceptInvitation: entry<members.Accepted>()({
    type: 'acceptInvitation',
    taskQueue: core,
    input: members.acceptInvitationInput,
    summary: (i) =>
      i.by.kind === 'user'
        ? `User ${i.by.userId} accepts invitation ${i.by.invitationId}`
        : 'Accept an invitation by its link',
    executionTimeout: WRITE_TIMEOUT,
    id: ({ key }: { key: string }) => `invitation-accept:${key}`,
  }),
  createPlatformToken: entry<platform.PlatformTokenRecord>()({
    type: 'createPlatformToken',
    taskQueue: core,
    input: platform.createPlatformTokenInput,
    summary: (i) => `Create platform token “${i.name}” (${i.token.prefix}…) for ${i.app}`,
    executionTimeout: WRITE_TIMEOUT,
    id: ({ key }: { key: string }) => `platform-token:${key}`,
  }),
  rotatePlatformToken: entry<platform.PlatformTokenRecord>()({
    type: 'rotatePlatformToken',
    taskQueue: core,
    input: platform.rotatePlatformTokenInput,
    summary: (i) => `Rotate platform token ${i.tokenId}`,
    executionTimeout: WRITE_TIMEOUT,
    id: ({ tokenId, key }: { tokenId: number; key: string }) => `platform-token-rotate:${tokenId}:${key}`,
  }),
  revokePlatformToken: entry<platform.PlatformTokenRecord>()({
    type: 'revokePlatformToken',
    taskQueue: core,
    input: platform.revokePlatformTokenInput,
    summary: (i) => `Revoke platform token ${i.tokenId}`,
    executionTimeout: WRITE_TIMEOUT,
    id: ({ tokenId, key }: { tokenId: number; key: string }) => `platform-token-revoke:${tokenId}:${key}`,
  }),
  setAccountStatus: entry<platform.AccountStatusChange>()({
    type: 'setAccountStatus',
    taskQueue: core,
    input: platform.setAccountStatusInput,
    summary: (i) => `${i.status === 'suspended' ? 'Suspend' : 'Reactivate'} account ${i.accountId}`,
    executionTimeout: WRITE_TIMEOUT,
    tags: byAccount,
    id: ({ accountId, key }: AccountKey) => `account-status:${accountId}:${key}`,
  }),
  createInbox: entry<InboxRecord>()({
    type: 'createInbox',
    taskQueue: core,
    input: createInboxInput,
    summary: (i) => `Create inbox “${i.name}” in account ${i.accountId}`,
    executionTimeout: WRITE_TIMEOUT,
    tags: byAccount,
    id: ({ accountId, key }: AccountKey) => `inbox:${accountId}:${key}`,
  }),
  ingestMessage: entry<messages.IngestedMessage>()({
    type: 'ingestMessage',
    answersWhenWritten: true,
    taskQueue: core,
    input: messages.ingestMessageInput,
    summary: (i) =>
      `Message into inbox ${i.inboxId} of account ${i.accountId}${i.sourceId ? ` (source ${i.sourceId})` : ''}`,
    executionTimeout: WRITE_TIMEOUT,
    tags: byAccount,
    /** `key` is `source:<source_id>` when the message has one, so a resent message finds its first run. */
    id: ({ accountId, inboxId, key }: AccountKey & { inboxId: number }) => `message:${accountId}:${inboxId}:${key}`,
  }),
  changeConversationStatus: entry<messages.StatusChange>()({
    type: 'changeConversationStatus',
    answersWhenWritten: true,
    taskQueue: core,
    input: messages.changeStatusInput,
    summary: (i) => `Mark conversation ${i.displayId} of account ${i.accountId} ${i.status}`,
    executionTimeout: WRITE_TIMEOUT,
    tags: byAccount,
    id: ({ accountId, displayId, key }: AccountKey & { displayId: number }) =>
      `conversation-status:${accountId}:${displayId}:${key}`,
  }),
  updateInbox: entry<InboxRecord>()({
    type: 'updateInbox',
    taskQueue: core,
    input: updateInboxInput,
    summary: (i) => `Update inbox ${i.inboxId} of account ${i.accountId}`,
    executionTimeout: WRITE_TIMEOUT,
    tags: byAccount,
    id: ({ accountId, inboxId, key }: AccountKey & { inboxId: number }) =>
      `inbox-update:${accountId}:${inboxId}:${key}`,
  }),
  createConversation: entry<conversations.ConversationCreated>()({
    type: 'createConversation',
    answersWhenWritten: true,
    taskQueue: core,
    input: conversations.createConversationInput,
    summary: (i) =>
      `Start a conversation with ${i.contactId ? `contact ${i.contactId}` : 'a contact'} in inbox ${i.inboxId} of account ${i.accountId}`,
    executionTimeout: WRITE_TIMEOUT,
    tags: byAccount,
    id: ({ accountId, key }: AccountKey) => `conversation:${accountId}:${key}`,
  }),
  updateConversation: entry<conversations.ConversationUpdated>()({
    type: 'updateConversation',
    answersWhenWritten: true,
    taskQueue: core,
    input: conversations.updateConversationInput,
    summary: (i) => `Set the priority of conversation ${i.displayId} of account ${i.accountId}`,
    executionTimeout: WRITE_TIMEOUT,
    tags: byAccount,
    id: ({ accountId, displayId, key }: AccountKey & { displayId: number }) =>
      `conversation-update:${accountId}:${displayId}:${key}`,
  }),
  updateMessage: entry<messages.MessageEdited>()({
    type: 'updateMessage',
    answersWhenWritten: true,
    taskQueue: core,
    input: messages.updateMessageInput,
    summary: (i) => `Mark message ${i.messageId} of account ${i.accountId} ${i.status}`,
    executionTimeout: WRITE_TIMEOUT,
    tags: byAccount,
    id: ({ accountId, messageId, key }: AccountKey & { messageId: number }) =>
      `message-update:${accountId}:${messageId}:${key}`,
  }),
  deleteMessage: entry<messages.MessageEdited>()({
    type: 'deleteMessage',
    answersWhenWritten: true,
    taskQueue: core,
    input: messages.deleteMessageInput,
    summary: (i) => `Delete message ${i.messageId} of conversation ${i.displayId} in account ${i.accountId}`,
    executionTimeout: WRITE_TIMEOUT,
    tags: byAccount,
    id: ({ accountId, messageId, key }: AccountKey & { messageId: number }) =>
      `message-delete:${accountId}:${messageId}:${key}`,
  }),
  createContact: entry<contacts.ContactRecord>()({
    type: 'createContact',
    answersWhenWritten: true,
    taskQueue: core,
    input: contacts.createContactInput,
    summary: (i) => `Create a contact in account ${i.accountId}`,
    executionTimeout: WRITE_TIMEOUT,
    tags: byAccount,
    id: ({ accountId, key }: AccountKey) => `contact:${accountId}:${key}`,
  }),
  updateContact: entry<contacts.ContactRecord>()({
    type: 'updateContact',
    answersWhenWritten: true,
    taskQueue: core,
    input: contacts.updateContactInput,
    summary: (i) => `Update contact ${i.contactId} of account ${i.accountId}`,
    executionTimeout: WRITE_TIMEOUT,
    tags: byAccount,
    id: ({ accountId, contactId, key }: AccountKey & { contactId: number }) =>
      `contact-update:${accountId}:${contactId}:${key}`,
  }),
  deleteContact: entry<contacts.ContactDeleted>()({
    type: 'deleteContact',
    taskQueue: core,
    input: contacts.deleteContactInput,
    summary: (i) => `Delete contact ${i.contactId} of account ${i.accountId} and its conversations`,
    executionTimeout: WRITE_TIMEOUT,
    tags: byAccount,
    id: ({ accountId, contactId, key }: AccountKey & { contactId: number }) =>
      `contact-delete:${accountId}:${contactId}:${key}`,
  }),
  mergeContacts: entry<contacts.ContactsMerged>()({
    type: 'mergeContacts',
    answersWhenWritten: true,
    taskQueue: core,
    input: contacts.mergeContactsInput,
    summary: (i) => `Merge contact ${i.mergeeContactId} into contact ${i.baseContactId} of account ${i.accountId}`,
    executionTimeout: WRITE_TIMEOUT,
    tags: byAccount,
    id: ({ accountId, key }: AccountKey) => `contact-merge:${accountId}:${key}`,
  }),
  assignConversation: entry<conversations.ConversationChange>()({
    type: 'assignConversation',
    answersWhenWritten: true,
    taskQueue: core,
    input: conversations.assignConversationInput,
    summary: (i) =>
      `${i.assigneeId === null ? 'Unassign' : `Assign user ${i.assigneeId} to`} conversation ${i.displayId} of account ${i.accountId}`,
    executionTimeout: WRITE_TIMEOUT,
    tags: byAccount,
    id: ({ accountId, displayId, key }: AccountKey & { displayId: number }) =>
      `conversation-assign:${accountId}:${displayId}:${key}`,
  }),
  setConversationLabels: entry<conversations.ConversationChange>()({
    type: 'setConversationLabels',
    answersWhenWritten: true,
    taskQueue: core,
    input: conversations.setConversationLabelsInput,
    summary: (i) => `Label conversation ${i.displayId} of account ${i.accountId}: ${i.labels.join(', ') || 'none'}`,
    executionTimeout: WRITE_TIMEOUT,
    tags: byAccount,
    id: ({ accountId, displayId, key }: AccountKey & { displayId: number }) =>
      `conversation-labels:${accountId}:${displayId}:${key}`,
  }),
  setContactLabels: entry<conversations.ContactLabels>()({
    type: 'setContactLabels',
    taskQueue: core,
    input: conversations.setContactLabelsInput,
    summary: (i) => `Label contact ${i.contactId} of account ${i.accountId}: ${i.labels.join(', ') || 'none'}`,
    executionTimeout: WRITE_TIMEOUT,
    tags: byAccount,
    id: ({ accountId, contactId, key }: AccountKey & { contactId: number }) =>
      `contact-labels:${accountId}:${contactId}:${key}`,
  }),
  markConversationSeen: entry<{ agentLastSeenAt: string }>()({
    type: 'markConversationSeen',
    taskQueue: core,
    input: conversations.markSeenInput,
    summary: (i) => `Agent read conversation ${i.displayId} of account ${i.accountId}`,
    executionTimeout: WRITE_TIMEOUT,
    tags: byAccount,
    id: ({ accountId, displayId, key }: AccountKey & { displayId: number }) =>
      `conversation-seen:${accountId}:${displayId}:${key}`,
  }),
  /**
   * A snooze's durable timer. One id per conversation: a new snooze replaces the running timer
   * (activities/conversations.ts). No execution timeout: a snooze may last months.
   */
  wakeSnoozedConversation: entry<conversations.Wakened>()({
    type: 'wakeSnoozedConversation',
    kind: 'snooze',
    taskQueue: core,
    input: conversations.wakeConversationInput,
    summary: (i) => `Reopen conversation ${i.displayId} of account ${i.accountId} at ${i.snoozedUntil}`,
    tags: byAccount,
    id: ({ accountId, conversationId }: { accountId: number; conversationId: number }) =>
      `conversation-snooze:${accountId}:${conversationId}`,
  }),
  createLabel: entry<conversations.LabelRecord>()({
    type: 'createLabel',
    taskQueue: core,
    input: conversations.createLabelInput,
    summary: (i) => `Create label “${i.title}” in account ${i.accountId}`,
    executionTimeout: WRITE_TIMEOUT,
    tags: byAccount,
    id: ({ accountId, key }: AccountKey) => `label:${accountId}:${key}`,
  }),
  updateLabel: entry<conversations.LabelRecord>()({
    type: 'updateLabel',
    taskQueue: core,
    input: conversations.updateLabelInput,
    summary: (i) => `Update label ${i.labelId} of account ${i.accountId}`,
    executionTimeout: WRITE_TIMEOUT,
    tags: byAccount,
    id: ({ accountId, labelId, key }: AccountKey & { labelId: number }) =>
      `label-update:${accountId}:${labelId}:${key}`,
  }),
  deleteLabel: entry<{ deleted: boolean }>()({
    type: 'deleteLabel',
    taskQueue: core,
    input: conversations.deleteLabelInput,
    summary: (i) => `Delete label ${i.labelId} of account ${i.accountId}`,
    executionTimeout: WRITE_TIMEOUT,
    tags: byAccount,
    id: ({ accountId, labelId, key }: AccountKey & { labelId: number }) =>
      `label-delete:${accountId}:${labelId}:${key}`,
  }),
  postOutgoingMessage: entry<outgoing.OutgoingMessage>()({
    type: 'postOutgoingMessage',
    answersWhenWritten: true,
    taskQueue: core,
    input: outgoing.postOutgoingMessageInput,
    summary: (i) =>
      `${i.private ? 'Private note' : 'Reply'} on conversation ${i.displayId} of account ${i.accountId} by ${i.actor.type} ${i.actor.id}`,
    executionTimeout: WRITE_TIMEOUT,
    tags: byAccount,
    id: ({ accountId, displayId, key }: AccountKey & { displayId: number }) => `reply:${accountId}:${displayId}:${key}`,
  }),
  rotateInboxSecret: entry<outgoing.InboxSecretRotated>()({
    type: 'rotateInboxSecret',
    taskQueue: core,
    input: outgoing.rotateInboxSecretInput,
    summary: (i) => `Rotate the callback secret of inbox ${i.inboxId} in account ${i.accountId}`,
    executionTimeout: WRITE_TIMEOUT,
    tags: byAccount,
    id: ({ accountId, inboxId, key }: AccountKey & { inboxId: number }) =>
      `inbox-secret:${accountId}:${inboxId}:${key}`,
  }),
  createWebhook: entry<webhooks.WebhookRecord>()({
    type: 'createWebhook',
    taskQueue: core,
    input: webhooks.createWebhookInput,
    summary: (i) => `Subscribe ${hostOf(i.url)} to ${i.subscriptions.join(', ')} for account ${i.accountId}`,
    executionTimeout: WRITE_TIMEOUT,
    tags: byAccount,
    id: ({ accountId, key }: AccountKey) => `webhook:${accountId}:${key}`,
  }),
  updateWebhook: entry<webhooks.WebhookRecord>()({
    type: 'updateWebhook',
    taskQueue: core,
    input: webhooks.updateWebhookInput,
    summary: (i) => `Update webhook ${i.webhookId} of account ${i.accountId}`,
    executionTimeout: WRITE_TIMEOUT,
    tags: byAccount,
    id: ({ accountId, webhookId, key }: AccountKey & { webhookId: number }) =>
      `webhook-update:${accountId}:${webhookId}:${key}`,
  }),
  deleteWebhook: entry<{ deleted: boolean }>()({
    type: 'deleteWebhook',
    taskQueue: core,
    input: webhooks.deleteWebhookInput,
    summary: (i) => `Delete webhook ${i.webhookId} of account ${i.accountId}`,
    executionTimeout: WRITE_TIMEOUT,
    tags: byAccount,
    id: ({ accountId, webhookId, key }: AccountKey & { webhookId: number }) =>
      `webhook-delete:${accountId}:${webhookId}:${key}`,
  }),
  /** No execution timeout: a delivery retries until its own deadline (WEBHOOK_RETRY_DEADLINE_MS). */
  deliverWebhook: entry<webhooks.DeliveryOutcome>()({
    type: 'deliverWebhook',
    taskQueue: core,
    input: webhooks.deliveryInput,
    summary: (i) => `Deliver webhook event ${i.deliveryId}${i.accountId ? ` of account ${i.accountId}` : ''}`,
    tags: (input) => ({ accountId: input.accountId }),
    id: ({ deliveryId }: { deliveryId: string }) => `delivery:${deliveryId}`,
    deadLetter: (r) =>
      r.status === 'dead'
        ? { failureType: 'WebhookAttemptFailed', message: r.error ?? 'delivery dead', attempts: r.attempts }
        : undefined,
  }),
  /** One deploy per application at a time: the id is the application. Its own deadline bounds it. */
  deployApplication: entry<DeployOutcome>()({
    type: 'deployApplication',
    kind: 'deploy',
    taskQueue: taskQueues.deploy,
    input: deployInput,
    summary: (i) => `Deploy ${i.commit ?? 'the current commit'} of ${i.appId} (${i.ownerId})`,
    tags: (input) => ({ appId: input.appId }),
    id: ({ ownerId, appId }: { ownerId: string; appId: string }) => `deploy:${ownerId}/${appId}`,
    deadLetter: (r) =>
      r.status === 'failed' || r.status === 'rolled_back' || r.status === 'timed_out'
        ? { failureType: 'DeployFailed', message: `deploy of ${r.commit} ended ${r.status}` }
        : undefined,
  }),
  licenceHeartbeat: entry<HeartbeatResult>()({
    type: 'licenceHeartbeat',
    taskQueue: core,
    input: licenceHeartbeatInput,
    summary: () => 'Licence heartbeat: report usage, reconcile premium features',
    executionTimeout: '10 min',
    /** Scheduled runs are named by the schedule; this is for runs started by hand. */
    id: ({ key }: { key: string }) => `licence-heartbeat-now:${key}`,
    deadLetter: ({ heartbeat }) =>
      heartbeat.outcome === 'failed' ? { failureType: 'HeartbeatFailed', message: heartbeat.error } : undefined,
  }),
  reconcilePremiumFeatures: entry<ReconcileResult>()({
    type: 'reconcilePremiumFeatures',
    taskQueue: core,
    input: reconcileInput,
    summary: () => 'Reconcile premium features with the licence',
    executionTimeout: WRITE_TIMEOUT,
    id: ({ cause }: { cause: string }) => `licence-reconcile:${cause}`,
  }),
  /**
   * Holds one break-glass grant and ends it at its expiry with a durable timer. No execution
   * timeout: extensions move the expiry; token lookups also ignore a grant past its expiry.
   */
  promoteSuperAdmin: entry<admin.Promotion>()({
    type: 'promoteSuperAdmin',
    kind: 'promotion',
    taskQueue: core,
    input: admin.promoteInput,
    summary: (i) => `Break-glass super admin for ${i.email}: ${i.reason}`,
    id: ({ email, key }: { email: string; key: string }) => `promotion:${email.toLowerCase()}:${key}`,
  }),
  revokePromotion: entry<admin.Promotion>()({
    type: 'revokePromotion',
    taskQueue: core,
    input: admin.revokePromotionInput,
    summary: (i) => `Revoke the break-glass grant of ${i.email}: ${i.reason}`,
    executionTimeout: WRITE_TIMEOUT,
    id: ({ email, key }: { email: string; key: string }) => `promotion-revoke:${email.toLowerCase()}:${key}`,
  }),
  extendPromotion: entry<admin.Promotion>()({
    type: 'extendPromotion',
    taskQueue: core,
    input: admin.extendPromotionInput,
    summary: (i) => `Extend the break-glass grant of ${i.email}: ${i.reason}`,
    executionTimeout: WRITE_TIMEOUT,
    id: ({ email, key }: { email: string; key: string }) => `promotion-extend:${email.toLowerCase()}:${key}`,
  }),
  forceReset: entry<admin.ForceResetResult>()({
    type: 'forceReset',
    taskQueue: core,
    input: admin.forceResetInput,
    summary: (i) => `Force a credential reset of ${i.email}: ${i.reason}`,
    executionTimeout: WRITE_TIMEOUT,
    id: ({ email, key }: { email: string; key: string }) => `force-reset:${email.toLowerCase()}:${key}`,
  }),
  debugAuth: entry<admin.DebugAuthResult>()({
    type: 'debugAuth',
    taskQueue: core,
    input: admin.debugAuthInput,
    summary: (i) => `Explain how token ${'prefix' in i.token ? `${i.token.prefix}…` : '(by hash)'} is judged`,
    executionTimeout: WRITE_TIMEOUT,
    id: ({ key }: { key: string }) => `debug-auth:${key}`,
  }),
  /** Keyed by the letter and the request: two retries are two runs, yet the letter's claim starts one new run. */
  retryDeadLetter: entry<deadLetters.RetriedLetter>()({
    type: 'retryDeadLetter',
    taskQueue: core,
    input: deadLetters.retryDeadLetterInput,
    summary: (i) => `Retry dead letter ${i.letterId}`,
    executionTimeout: WRITE_TIMEOUT,
    id: ({ letterId, key }: { letterId: number; key: string }) => `dead-letter-retry:${letterId}:${key}`,
  }),
  retryDeadLetters: entry<deadLetters.BulkRetryResult>()({
    type: 'retryDeadLetters',
    taskQueue: core,
    input: deadLetters.retryDeadLettersInput,
    summary: (i) => `Retry every open dead letter matching ${JSON.stringify(i.filter)}`,
    executionTimeout: WRITE_TIMEOUT,
    id: ({ key }: { key: string }) => `dead-letters-retry:${key}`,
  }),
  discardDeadLetter: entry<deadLetters.DiscardedLetter>()({
    type: 'discardDeadLetter',
    taskQueue: core,
    input: deadLetters.discardDeadLetterInput,
    summary: (i) => `Discard dead letter ${i.letterId}: ${i.reason}`,
    executionTimeout: WRITE_TIMEOUT,
    id: ({ letterId, key }: { letterId: number; key: string }) => `dead-letter-discard:${letterId}:${key}`,
  }),
  purgeDeadLetters: entry<{ deleted: number }>()({
    type: 'purgeDeadLetters',
    taskQueue: core,
    input: deadLetters.purgeDeadLettersInput,
    summary: (i) => `Delete dead letters older than ${i.retentionDays} days`,
    executionTimeout: WRITE_TIMEOUT,
    /** Scheduled runs are named by the schedule; this is for runs started by hand. */
    id: ({ key }: { key: string }) => `dead-letters-purge:${key}`,
  }),
  operateSchedule: entry<ScheduleOperated>()({
    type: 'operateSchedule',
    taskQueue: core,
    input: operateScheduleInput,
    summary: (i) => `${i.operation} schedule ${i.scheduleId}${i.reason ? `: ${i.reason}` : ''}`,
    executionTimeout: WRITE_TIMEOUT,
    id: ({ scheduleId, key }: { scheduleId: string; key: string }) => `schedule-op:${scheduleId}:${key}`,
  }),
  resetBreaker: entry<BreakerReset>()({
    type: 'resetBreaker',
    taskQueue: core,
    input: resetBreakerInput,
    summary: (i) => `Reset circuit breaker ${i.name}: ${i.reason}`,
    executionTimeout: WRITE_TIMEOUT,
    id: ({ name, key }: { name: string; key: string }) => `breaker-reset:${name}:${key}`,
  }),
  /** One run per request; runs of the same sources share one build row and one staging directory. */
  buildAssets: entry<assets.AssetBuildResult>()({
    type: 'buildAssets',
    kind: 'assets',
    taskQueue: taskQueues.assets,
    input: assets.buildAssetsInput,
    summary: (i) =>
      `Build the front-end assets of ${i.sources ?? 'web'} (${(i.entries ?? ['web/src/main.tsx']).join(', ')})`,
    executionTimeout: '1 hour',
    id: ({ key }: { key: string }) => `assets-build:${key}`,
  }),
  rollbackAssets: entry<assets.AssetSwitch>()({
    type: 'rollbackAssets',
    kind: 'assets',
    taskQueue: taskQueues.assets,
    input: assets.rollbackAssetsInput,
    summary: (i) =>
      i.buildId
        ? `Switch the live assets back to build ${i.buildId}`
        : 'Switch the live assets back to the previous build',
    executionTimeout: WRITE_TIMEOUT,
    id: ({ key }: { key: string }) => `assets-rollback:${key}`,
  }),
  /** Scheduled runs are named by the schedule; this is for runs started by hand. */
  collectAssetGarbage: entry<assets.AssetCollection>()({
    type: 'collectAssetGarbage',
    kind: 'assets',
    taskQueue: taskQueues.assets,
    input: assets.collectAssetsInput,
    summary: () => 'Delete asset builds beyond retention and files no kept build references',
    executionTimeout: '1 hour',
    id: ({ key }: { key: string }) => `assets-gc:${key}`,
  }),
  /** The grantee's own request: one per grant (the activity refuses a second), keyed by user and request. */
  activateBreakGlass: entry<admin.BreakGlassActivation>()({
    type: 'activateBreakGlass',
    taskQueue: core,
    input: admin.activateBreakGlassInput,
    summary: (i) => `User ${i.actor.id} activates their break-glass grant (${i.token.prefix}…): ${i.reason}`,
    executionTimeout: WRITE_TIMEOUT,
    tags: (i) => ({ userId: Number(i.actor.id) }),
    id: ({ userId, key }: { userId: number; key: string }) => `break-glass:${userId}:${key}`,
  }),
  keepGrantEffect: entry<admin.GrantEffect>()({
    type: 'keepGrantEffect',
    taskQueue: core,
    input: admin.keepGrantEffectInput,
    summary: (i) => `Keep effect ${i.effectId} of break-glass grant ${i.grantId} past its end: ${i.reason}`,
    executionTimeout: WRITE_TIMEOUT,
    id: ({ grantId, effectId, key }: { grantId: number; effectId: number; key: string }) =>
      `grant-keep:${grantId}:${effectId}:${key}`,
  }),
  /** Scheduled runs are named by the schedule; this is for runs started by hand. */
  pruneProofNonces: entry<{ deleted: number }>()({
    type: 'pruneProofNonces',
    taskQueue: core,
    input: pruneProofNoncesInput,
    summary: (i) => `Delete spent proof nonces past their proofs' age, ${i.batch ?? 1000} at a time`,
    executionTimeout: WRITE_TIMEOUT,
    id: ({ key }: { key: string }) => `proof-nonces-prune:${key}`,
  }),
  /** Keyed by the request: an operator's one-time sign-in link for one user in one account. */
  issueSignInLink: entry<signIn.SignInLinkRecord>()({
    type: 'issueSignInLink',
    answersWhenWritten: true,
    taskQueue: core,
    input: signIn.issueSignInLinkInput,
    summary: (i) => `Issue a one-time sign-in link for ${i.email} in account ${i.accountId}: ${i.reason}`,
    executionTimeout: WRITE_TIMEOUT,
    tags: byAccount,
    id: ({ key }: { key: string }) => `sign-in-link:${key}`,
  }),
  /** Abandoned child of issueSignInLink and provisionAccount: mail retries on its own; one run per link. */
  mailSignInLink: entry<signIn.MailedSignInLink>()({
    type: 'mailSignInLink',
    taskQueue: core,
    input: signIn.mailSignInLinkInput,
    summary: (i) => `Mail sign-in link ${i.linkId} to its user's address`,
    executionTimeout: '1 day',
    id: ({ linkId }: { linkId: number }) => `sign-in-link-mail:${linkId}`,
  }),
  /** Keyed by the link's hash: redeeming twice is one run, and the second answer carries no token. */
  redeemSignInLink: entry<signIn.SignedIn>()({
    type: 'redeemSignInLink',
    taskQueue: core,
    input: signIn.redeemSignInLinkInput,
    summary: () => 'Redeem a one-time sign-in link',
    executionTimeout: WRITE_TIMEOUT,
    id: ({ key }: { key: string }) => `sign-in-link-redeem:${key}`,
  }),
  createBot: entry<members.BotRecord>()({
    type: 'createBot',
    taskQueue: core,
    input: members.createBotInput,
    summary: (i) => `Create bot “${i.name}” in account ${i.accountId}`,
    executionTimeout: WRITE_TIMEOUT,
    tags: byAccount,
    id: ({ accountId, key }: AccountKey) => `bot:${accountId}:${key}`,
  }),
  pruneExpiredState: entry<PrunedState>()({
    type: 'pruneExpiredState',
    taskQueue: core,
    input: pruneExpiredStateInput,
    summary: (i) =>
      `Delete expired request budgets and webhook-host breakers idle for ${i.breakerIdleHours ?? 24} hours`,
    executionTimeout: WRITE_TIMEOUT,
    /** Scheduled runs are named by the schedule; this is for runs started by hand. */
    id: ({ key }: { key: string }) => `prune-expired-state:${key}`,
  }),
  /** Scheduled runs are named by their retention schedule; this is for runs started by hand. */
  pruneRetained: entry<PrunedRows>()({
    type: 'pruneRetained',
    taskQueue: core,
    input: pruneRetainedInput,
    summary: (i) =>
      i.retentionDays === null
        ? `Keep every row of ${i.target} (no retention set)`
        : `Delete rows of ${i.target} older than ${i.retentionDays} days, ${i.batch ?? 1000} at a time`,
    executionTimeout: WRITE_TIMEOUT,
    id: ({ key }: { key: string }) => `prune-retained:${key}`,
  }),
} as const;

export type Workflows = typeof workflows;
export type WorkflowType = keyof Workflows;

/** The entry of a workflow type named at run time (a dead letter's, a history's), if the catalogue still has it. */
export function entryOfType(type: string): WorkflowEntry<string, z.ZodType, any, any> | undefined {
  return Object.hasOwn(workflows, type)
    ? (workflows as Record<string, WorkflowEntry<string, z.ZodType, any, any>>)[type]
    : undefined;
}

/** The search attributes a run starts with: its kind and the business ids its input names. */
export function searchAttributesOf<T extends string, S extends z.ZodType, R, K>(
  entry: WorkflowEntry<T, S, R, K>,
  input: z.input<S>,
): SearchAttributePair[] {
  const tags = entry.tags?.(input) ?? {};
  return [
    { key: searchAttributes.kind, value: entry.kind ?? entry.type },
    ...(tags.accountId !== undefined ? [{ key: searchAttributes.accountId, value: String(tags.accountId) }] : []),
    ...(tags.appId !== undefined ? [{ key: searchAttributes.appId, value: tags.appId }] : []),
    ...(tags.userId !== undefined ? [{ key: searchAttributes.userId, value: String(tags.userId) }] : []),
  ];
}

/** The entry's summary; input that breaks the schema (refused later, by the workflow) gets the type alone. */
export function summaryOf<T extends string, S extends z.ZodType, R, K>(
  entry: WorkflowEntry<T, S, R, K>,
  input: z.input<S>,
): string {
  try {
    return entry.summary(input);
  } catch {
    return `${entry.type} (input to be checked)`;
  }
}

/**
 * The Web UI's details of a run, in markdown: the business ids it is found by and who asked.
 * The input is not shown whole: it can hold what only the codec server may reveal.
 */
export function detailsOf<T extends string, S extends z.ZodType, R, K>(
  entry: WorkflowEntry<T, S, R, K>,
  input: z.input<S>,
): string {
  const tags = entry.tags?.(input) ?? {};
  const requester = (input as { actor?: { type: string; id: string } } | undefined)?.actor;
  const rows: [string, string | number | undefined][] = [
    ['Kind', entry.kind ?? entry.type],
    ['Account', tags.accountId],
    ['Application', tags.appId],
    ['User', tags.userId],
    ['Requested by', requester && `${requester.type} ${requester.id}`],
  ];
  return rows.flatMap(([label, value]) => (value === undefined ? [] : [`**${label}:** ${value}`])).join('  \n');
}
