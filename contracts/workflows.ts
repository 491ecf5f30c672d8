/**
 * The workflow catalogue: every workflow type Capstan runs, with its task
 * queue, id scheme, input schema, execution timeout and search attributes.
 * The API, CLI, schedules, workflows and tests start workflows through these
 * entries (workers/start.ts), never by a name written elsewhere.
 */
import type { Duration, SearchAttributePair } from '@temporalio/common';
import type { z } from 'zod';
import { taskQueues, type TaskQueue } from '../config/catalogue.ts';
import { searchAttributes } from '../config/search-attributes.ts';
import * as assets from './assets.ts';
import { provisionAccountInput, type ProvisionAccountResult } from './accounts.ts';
import { deployInput, type DeployOutcome } from './deploys.ts';
import { createInboxInput, type InboxRecord } from './inboxes.ts';
import { licenceHeartbeatInput, reconcileInput, type HeartbeatResult, type ReconcileResult } from './licence.ts';
import * as members from './members.ts';
import * as messages from './messages.ts';
import * as platform from './platform.ts';
import * as webhooks from './webhooks.ts';

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
  /** Never set: carries the result type. */
  readonly result?: Result;
}

/** The signature a workflow function must have to implement an entry. */
export type WorkflowFn<E> =
  E extends WorkflowEntry<string, infer S, infer R, never> ? (input: z.input<S>) => Promise<R> : never;
export type WorkflowInput<E> = E extends WorkflowEntry<string, infer S, unknown, never> ? z.input<S> : never;

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

export const workflows = {
  provisionAccount: entry<ProvisionAccountResult>()({
    type: 'provisionAccount',
    taskQueue: core,
    input: provisionAccountInput,
    executionTimeout: WRITE_TIMEOUT,
    id: ({ key }: { key: string }) => `account:${key}`,
  }),
  addMember: entry<members.Member>()({
    type: 'addMember',
    taskQueue: core,
    input: members.addMemberInput,
    executionTimeout: WRITE_TIMEOUT,
    tags: byAccount,
    id: ({ accountId, key }: AccountKey) => `member:${accountId}:${key}`,
  }),
  changeRole: entry<members.Member>()({
    type: 'changeRole',
    taskQueue: core,
    input: members.changeRoleInput,
    executionTimeout: WRITE_TIMEOUT,
    tags: byAccount,
    id: ({ accountId, userId, key }: AccountKey & { userId: number }) => `member-role:${accountId}:${userId}:${key}`,
  }),
  removeMember: entry<{ removed: boolean }>()({
    type: 'removeMember',
    taskQueue: core,
    input: members.removeMemberInput,
    executionTimeout: WRITE_TIMEOUT,
    tags: byAccount,
    id: ({ accountId, userId, key }: AccountKey & { userId: number }) => `member-remove:${accountId}:${userId}:${key}`,
  }),
  createAccessToken: entry<members.AccessTokenRecord>()({
    type: 'createAccessToken',
    taskQueue: core,
    input: members.createAccessTokenInput,
    executionTimeout: WRITE_TIMEOUT,
    tags: byAccount,
    id: ({ accountId, key }: AccountKey) => `token:${accountId}:${key}`,
  }),
  revokeAccessToken: entry<members.AccessTokenRecord>()({
    type: 'revokeAccessToken',
    taskQueue: core,
    input: members.revokeAccessTokenInput,
    executionTimeout: WRITE_TIMEOUT,
    tags: byAccount,
    id: ({ accountId, tokenId, key }: AccountKey & { tokenId: number }) =>
      `token-revoke:${accountId}:${tokenId}:${key}`,
  }),
  inviteMember: entry<members.InvitationRecord>()({
    type: 'inviteMember',
    taskQueue: core,
    input: members.inviteMemberInput,
    executionTimeout: WRITE_TIMEOUT,
    tags: byAccount,
    id: ({ accountId, key }: AccountKey) => `invitation:${accountId}:${key}`,
  }),
  revokeInvitation: entry<members.InvitationRecord>()({
    type: 'revokeInvitation',
    taskQueue: core,
    input: members.revokeInvitationInput,
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
    executionTimeout: WRITE_TIMEOUT,
    id: ({ key }: { key: string }) => `invitation-accept:${key}`,
  }),
  createPlatformToken: entry<platform.PlatformTokenRecord>()({
    type: 'createPlatformToken',
    taskQueue: core,
    input: platform.createPlatformTokenInput,
    executionTimeout: WRITE_TIMEOUT,
    id: ({ key }: { key: string }) => `platform-token:${key}`,
  }),
  rotatePlatformToken: entry<platform.PlatformTokenRecord>()({
    type: 'rotatePlatformToken',
    taskQueue: core,
    input: platform.rotatePlatformTokenInput,
    executionTimeout: WRITE_TIMEOUT,
    id: ({ tokenId, key }: { tokenId: number; key: string }) => `platform-token-rotate:${tokenId}:${key}`,
  }),
  revokePlatformToken: entry<platform.PlatformTokenRecord>()({
    type: 'revokePlatformToken',
    taskQueue: core,
    input: platform.revokePlatformTokenInput,
    executionTimeout: WRITE_TIMEOUT,
    id: ({ tokenId, key }: { tokenId: number; key: string }) => `platform-token-revoke:${tokenId}:${key}`,
  }),
  setAccountStatus: entry<platform.AccountStatusChange>()({
    type: 'setAccountStatus',
    taskQueue: core,
    input: platform.setAccountStatusInput,
    executionTimeout: WRITE_TIMEOUT,
    tags: byAccount,
    id: ({ accountId, key }: AccountKey) => `account-status:${accountId}:${key}`,
  }),
  createInbox: entry<InboxRecord>()({
    type: 'createInbox',
    taskQueue: core,
    input: createInboxInput,
    executionTimeout: WRITE_TIMEOUT,
    tags: byAccount,
    id: ({ accountId, key }: AccountKey) => `inbox:${accountId}:${key}`,
  }),
  ingestMessage: entry<messages.IngestedMessage>()({
    type: 'ingestMessage',
    taskQueue: core,
    input: messages.ingestMessageInput,
    executionTimeout: WRITE_TIMEOUT,
    tags: byAccount,
    /** `key` is `source:<source_id>` when the message has one, so a resent message finds its first run. */
    id: ({ accountId, inboxId, key }: AccountKey & { inboxId: number }) => `message:${accountId}:${inboxId}:${key}`,
  }),
  changeConversationStatus: entry<messages.StatusChange>()({
    type: 'changeConversationStatus',
    taskQueue: core,
    input: messages.changeStatusInput,
    executionTimeout: WRITE_TIMEOUT,
    tags: byAccount,
    id: ({ accountId, displayId, key }: AccountKey & { displayId: number }) =>
      `conversation-status:${accountId}:${displayId}:${key}`,
  }),
  createWebhook: entry<webhooks.WebhookRecord>()({
    type: 'createWebhook',
    taskQueue: core,
    input: webhooks.createWebhookInput,
    executionTimeout: WRITE_TIMEOUT,
    tags: byAccount,
    id: ({ accountId, key }: AccountKey) => `webhook:${accountId}:${key}`,
  }),
  updateWebhook: entry<webhooks.WebhookRecord>()({
    type: 'updateWebhook',
    taskQueue: core,
    input: webhooks.updateWebhookInput,
    executionTimeout: WRITE_TIMEOUT,
    tags: byAccount,
    id: ({ accountId, webhookId, key }: AccountKey & { webhookId: number }) =>
      `webhook-update:${accountId}:${webhookId}:${key}`,
  }),
  deleteWebhook: entry<{ deleted: boolean }>()({
    type: 'deleteWebhook',
    taskQueue: core,
    input: webhooks.deleteWebhookInput,
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
    tags: (input) => ({ accountId: input.accountId }),
    id: ({ deliveryId }: { deliveryId: string }) => `delivery:${deliveryId}`,
  }),
  /** One deploy per application at a time: the id is the application. Its own deadline bounds it. */
  deployApplication: entry<DeployOutcome>()({
    type: 'deployApplication',
    kind: 'deploy',
    taskQueue: taskQueues.deploy,
    input: deployInput,
    tags: (input) => ({ appId: input.appId }),
    id: ({ ownerId, appId }: { ownerId: string; appId: string }) => `deploy:${ownerId}/${appId}`,
  }),
  licenceHeartbeat: entry<HeartbeatResult>()({
    type: 'licenceHeartbeat',
    taskQueue: core,
    input: licenceHeartbeatInput,
    executionTimeout: '10 min',
    /** Scheduled runs are named by the schedule; this is for runs started by hand. */
    id: ({ key }: { key: string }) => `licence-heartbeat-now:${key}`,
  }),
  reconcilePremiumFeatures: entry<ReconcileResult>()({
    type: 'reconcilePremiumFeatures',
    taskQueue: core,
    input: reconcileInput,
    executionTimeout: WRITE_TIMEOUT,
    id: ({ cause }: { cause: string }) => `licence-reconcile:${cause}`,
  }),
  /** One run per request; runs of the same sources share one build row and one staging directory. */
  buildAssets: entry<assets.AssetBuildResult>()({
    type: 'buildAssets',
    kind: 'assets',
    taskQueue: taskQueues.assets,
    input: assets.buildAssetsInput,
    executionTimeout: '1 hour',
    id: ({ key }: { key: string }) => `assets-build:${key}`,
  }),
  rollbackAssets: entry<assets.AssetSwitch>()({
    type: 'rollbackAssets',
    kind: 'assets',
    taskQueue: taskQueues.assets,
    input: assets.rollbackAssetsInput,
    executionTimeout: WRITE_TIMEOUT,
    id: ({ key }: { key: string }) => `assets-rollback:${key}`,
  }),
  /** Scheduled runs are named by the schedule; this is for runs started by hand. */
  collectAssetGarbage: entry<assets.AssetCollection>()({
    type: 'collectAssetGarbage',
    kind: 'assets',
    taskQueue: taskQueues.assets,
    input: assets.collectAssetsInput,
    executionTimeout: '1 hour',
    id: ({ key }: { key: string }) => `assets-gc:${key}`,
  }),
} as const;

export type Workflows = typeof workflows;
export type WorkflowType = keyof Workflows;

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
