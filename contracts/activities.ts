/**
 * What each task queue's activities take and give. Workflows call them through
 * these interfaces; activities/ implements them (`satisfies`), so neither side
 * imports the other.
 */
import type { AssetCollection, AssetSwitch, StagedFile } from './assets.ts';
import type { RetainedTable } from './retention.ts';
import type { ViteManifest } from '../domain/assets.ts';
import type { ProvisionAccountCommand, ProvisionAccountResult } from './accounts.ts';
import type {
  ActivateBreakGlassInput,
  BreakGlassActivation,
  GrantEffect,
  KeepGrantEffectInput,
  DebugAuthInput,
  DebugAuthResult,
  ExtendPromotionInput,
  ForceResetInput,
  ForceResetResult,
  PromoteInput,
  Promotion,
  RevokePromotionInput,
} from './admin.ts';
import type { Actor } from './common.ts';
import type {
  DeadLetterFilter,
  DeadLetterRecord,
  DiscardDeadLetterInput,
  DiscardedLetter,
  RetryClaim,
} from './dead-letters.ts';
import type { AttemptRef } from './deploys.ts';
import type { OperateScheduleInput, ScheduleOperated } from './schedules.ts';
import type { CreateInboxInput, InboxRecord, UpdateInboxInput } from './inboxes.ts';
import type { HeartbeatOutcome, ReconcileResult } from './licence.ts';
import type {
  AcceptInvitationInput,
  Accepted,
  InvitationRecord,
  InviteMemberInput,
  MailedInvitation,
  MailInvitationInput,
  RevokeInvitationInput,
  AccessTokenRecord,
  AddMemberInput,
  BotRecord,
  CreateBotInput,
  ChangeRoleInput,
  CreateAccessTokenInput,
  Member,
  RemoveMemberInput,
  RevokeAccessTokenInput,
} from './members.ts';
import type {
  AccountStatusChange,
  CreatePlatformTokenInput,
  PlatformTokenRecord,
  RevokePlatformTokenInput,
  RotatePlatformTokenInput,
  SetAccountStatusInput,
} from './platform.ts';
import type {
  ContactDeleted,
  ContactRecord,
  ContactsMerged,
  CreateContactInput,
  DeleteContactInput,
  MergeContactsInput,
  UpdateContactInput,
} from './contacts.ts';
import type {
  ChangeStatusInput,
  DeleteMessageInput,
  IngestedMessage,
  IngestMessageInput,
  MessageEdited,
  StatusChange,
  UpdateMessageInput,
} from './messages.ts';
import type {
  InboxSecretRotated,
  OutgoingMessage,
  PostOutgoingMessageInput,
  RotateInboxSecretInput,
} from './outgoing.ts';
import type {
  CreateWebhookInput,
  DeleteWebhookInput,
  DeliveryOutcome,
  Outbox,
  UpdateWebhookInput,
  WebhookRecord,
} from './webhooks.ts';

import type { BreakerReset, ResetBreakerInput } from './breakers.ts';
import type {
  IssueSignInLinkInput,
  MailedSignInLink,
  MailSignInLinkInput,
  RedeemSignInLinkInput,
  SignedIn,
  SignInLinkRecord,
} from './sign-in-links.ts';
import type { PrunedState } from './housekeeping.ts';
import type {
  AssignConversationInput,
  ContactLabels,
  ConversationChange,
  ConversationCreated,
  ConversationUpdated,
  CreateConversationInput,
  UpdateConversationInput,
  CreateLabelInput,
  DeleteLabelInput,
  LabelRecord,
  MarkSeenInput,
  SetContactLabelsInput,
  SetConversationLabelsInput,
  UpdateLabelInput,
  WakeConversationInput,
  Wakened,
} from './conversations.ts';

/** A write's input, with the id of the workflow that runs it: its audit and idempotency key. */
export type Run<T> = T & { workflowId: string };

/**
 * What a workflow hands its first write so the write checks the actor's proof itself
 * (activities/proofs.ts): the input the run was started with, as it was signed.
 */
export interface Vouch {
  input: unknown;
}

/** A write's command with the run's input attached: the write checks the proof and spends its nonce. */
export type Vouched<T> = T & { vouch?: Vouch };

/** Local activities of every workflow that acts for someone. */
export interface ActorActivities {
  /** The separate check runs started before writes checked their own proof replay (patch `proof-binds-command`). */
  checkActor(input: { workflowId: string; actor: Actor }): Promise<void>;
  /** Check and spend the proof on its own, for a run whose first act is not a database write. */
  spendProof(input: { started: unknown }): Promise<void>;
}

/** Triage operations: break-glass grants, forced credential resets, auth debugging; each audited. */
export interface AdminActivities {
  grantSuperAdmin(cmd: Run<PromoteInput>): Promise<Promotion>;
  revokeSuperAdmin(cmd: Run<RevokePromotionInput>): Promise<Promotion>;
  extendSuperAdmin(cmd: Run<ExtendPromotionInput>): Promise<Promotion>;
  expireSuperAdmin(input: { grantId: number; workflowId: string }): Promise<Promotion>;
  readPromotion(input: { grantId: number }): Promise<Promotion>;
  /** `holderWorkflowId`: the workflow holding a grant the reset ended, to be told. */
  forceReset(cmd: Run<ForceResetInput>): Promise<ForceResetResult & { holderWorkflowId: string | null }>;
  diagnoseToken(cmd: Run<DebugAuthInput>): Promise<DebugAuthResult>;
  activateBreakGlass(cmd: Run<ActivateBreakGlassInput>): Promise<BreakGlassActivation>;
  keepGrantEffect(cmd: Run<KeepGrantEffectInput>): Promise<GrantEffect>;
}

/** Registered on every worker: the dead-letter interceptor runs in every workflow, on its own task queue. */
export interface DeadLetterActivities {
  recordDeadLetter(letter: DeadLetterRecord): Promise<void>;
}

export interface CoreActivities extends ActorActivities, AdminActivities, DeadLetterActivities {
  createAccountWithAdmin(cmd: ProvisionAccountCommand): Promise<ProvisionAccountResult>;
  addMember(cmd: Run<AddMemberInput>): Promise<Member>;
  changeRole(cmd: Run<ChangeRoleInput>): Promise<Member>;
  removeMember(cmd: Run<RemoveMemberInput>): Promise<{ removed: boolean }>;
  createAccessToken(cmd: Run<CreateAccessTokenInput>): Promise<AccessTokenRecord>;
  revokeAccessToken(cmd: Run<RevokeAccessTokenInput>): Promise<AccessTokenRecord>;
  createInbox(cmd: Run<CreateInboxInput>): Promise<InboxRecord>;
  appendInboundMessage(cmd: Run<IngestMessageInput>): Promise<{ result: IngestedMessage; outbox: Outbox }>;
  changeConversationStatus(cmd: Run<ChangeStatusInput>): Promise<{ result: StatusChange; outbox: Outbox }>;
  createContact(cmd: Run<CreateContactInput>): Promise<{ result: ContactRecord; outbox: Outbox }>;
  updateContact(cmd: Run<UpdateContactInput>): Promise<{ result: ContactRecord; outbox: Outbox }>;
  deleteContact(cmd: Run<DeleteContactInput>): Promise<ContactDeleted>;
  mergeContacts(cmd: Run<MergeContactsInput>): Promise<{ result: ContactsMerged; outbox: Outbox }>;
  appendOutgoingMessage(cmd: Run<PostOutgoingMessageInput>): Promise<{ result: OutgoingMessage; outbox: Outbox }>;
  rotateInboxSecret(cmd: Run<RotateInboxSecretInput>): Promise<InboxSecretRotated>;
  createWebhook(cmd: Run<CreateWebhookInput>): Promise<WebhookRecord>;
  updateWebhook(cmd: Run<UpdateWebhookInput>): Promise<WebhookRecord>;
  deleteWebhook(cmd: Run<DeleteWebhookInput>): Promise<{ deleted: boolean }>;
  inviteMember(cmd: Run<InviteMemberInput>): Promise<InvitationRecord>;
  /** Makes the invitation's secret, keeps its hash, and mails the link to the invited address: a regular activity. */
  mailInvitation(input: MailInvitationInput): Promise<MailedInvitation>;
  revokeInvitation(cmd: Run<RevokeInvitationInput>): Promise<InvitationRecord>;
  acceptInvitation(cmd: Run<AcceptInvitationInput>): Promise<Accepted>;
  createPlatformToken(cmd: Run<CreatePlatformTokenInput>): Promise<PlatformTokenRecord>;
  rotatePlatformToken(cmd: Run<RotatePlatformTokenInput>): Promise<PlatformTokenRecord>;
  revokePlatformToken(cmd: Run<RevokePlatformTokenInput>): Promise<PlatformTokenRecord>;
  setAccountStatus(cmd: Run<SetAccountStatusInput>): Promise<AccountStatusChange>;
  sendWebhook(deliveryId: string): Promise<DeliveryOutcome>;
  markDeliveryDead(input: { deliveryId: string; reason: string }): Promise<DeliveryOutcome>;
  sendHeartbeat(input: { runKey: string }): Promise<HeartbeatOutcome>;
  reconcilePremiumFeatures(): Promise<ReconcileResult>;
  claimDeadLetterRetry(input: { letterId: number; claimer: string; actor: Actor }): Promise<RetryClaim>;
  releaseDeadLetter(input: { letterId: number; claimer: string }): Promise<void>;
  markDeadLetterRetried(input: { letterId: number; workflowId: string; runId: string }): Promise<void>;
  matchingDeadLetters(input: { filter: DeadLetterFilter; limit: number }): Promise<{ ids: number[]; total: number }>;
  discardDeadLetter(cmd: Run<DiscardDeadLetterInput>): Promise<DiscardedLetter>;
  purgeDeadLetters(input: { retentionDays: number }): Promise<{ deleted: number }>;
  operateSchedule(cmd: Run<OperateScheduleInput>): Promise<ScheduleOperated>;
  resetBreaker(cmd: Run<ResetBreakerInput>): Promise<BreakerReset>;
  /** Deletes up to `batch` nonces past their proofs' age; how many went. */
  pruneProofNonces(input: { batch: number }): Promise<number>;
  issueSignInLink(cmd: Run<IssueSignInLinkInput>): Promise<SignInLinkRecord>;
  redeemSignInLink(cmd: Run<RedeemSignInLinkInput>): Promise<SignedIn>;
  /** Makes the sign-in link's secret, keeps its hash, and mails it to the user's address: a regular activity. */
  mailSignInLink(input: MailSignInLinkInput): Promise<MailedSignInLink>;
  createBot(cmd: Run<CreateBotInput>): Promise<BotRecord>;
  pruneExpiredState(input: { breakerIdleHours: number }): Promise<PrunedState>;
  assignConversation(cmd: Run<AssignConversationInput>): Promise<{ result: ConversationChange; outbox: Outbox }>;
  setConversationLabels(cmd: Run<SetConversationLabelsInput>): Promise<{ result: ConversationChange; outbox: Outbox }>;
  setContactLabels(cmd: Run<SetContactLabelsInput>): Promise<ContactLabels>;
  markConversationSeen(cmd: Run<MarkSeenInput>): Promise<{ agentLastSeenAt: string }>;
  /** Starts (or restarts, for a new time) the conversation's wake-up run. */
  armSnoozeWakeUp(input: WakeConversationInput): Promise<void>;
  wakeSnoozedConversation(input: Run<WakeConversationInput>): Promise<{ result: Wakened; outbox: Outbox }>;
  createLabel(cmd: Run<CreateLabelInput>): Promise<LabelRecord>;
  updateLabel(cmd: Run<UpdateLabelInput>): Promise<LabelRecord>;
  deleteLabel(cmd: Run<DeleteLabelInput>): Promise<{ deleted: boolean }>;
  createConversation(cmd: Run<CreateConversationInput>): Promise<{ result: ConversationCreated; outbox: Outbox }>;
  updateConversation(cmd: Run<UpdateConversationInput>): Promise<{ result: ConversationUpdated; outbox: Outbox }>;
  updateMessage(cmd: Run<UpdateMessageInput>): Promise<{ result: MessageEdited; outbox: Outbox }>;
  deleteMessage(cmd: Run<DeleteMessageInput>): Promise<{ result: MessageEdited; outbox: Outbox }>;
  updateInbox(cmd: Run<UpdateInboxInput>): Promise<InboxRecord>;
  /** Temporal's namespace retention in days, plus one: no retention goes below it. */
  retentionFloorDays(): Promise<number>;
  /** Deletes up to `batch` rows of the table past retention at `before`; how many went. */
  pruneRetainedBatch(input: { target: RetainedTable; before: string; batch: number }): Promise<number>;
}

interface App {
  ownerId: string;
  appId: string;
}

export interface DeployActivities extends ActorActivities, DeadLetterActivities {
  readApplication(input: App): Promise<{ commitId: string | null; name: string }>;
  lastGoodCommit(input: App & { except: string }): Promise<string | null>;
  readEnv(input: App & { names: string[] }): Promise<Record<string, string | null>>;
  applyEnv(input: App & { changes: Record<string, string | null> }): Promise<void>;
  startRedeploy(ref: AttemptRef): Promise<{ deploymentId: string }>;
  pollDeployment(input: App & { attemptKey: string; deploymentId: string }): Promise<{ state: string }>;
  cancelDeployment(input: App & { deploymentId: string }): Promise<void>;
  finishAttempt(input: { attemptKey: string; outcome: 'OK' | 'FAIL' | 'CANCELLED' | 'TIMED_OUT' }): Promise<void>;
}

/** The phases of an asset build, each retried on its own; `sourceHash` names the staging directory they share. */
export interface AssetActivities extends ActorActivities {
  hashAssetSources(input: {
    root: string;
    sources: string;
    entries: string[];
  }): Promise<{ sourceHash: string; files: number; bytes: number }>;
  findReadyAssetBuild(input: {
    sourceHash: string;
  }): Promise<{ buildId: number; files: number; totalBytes: number } | null>;
  bundleAssets(input: { root: string; entries: string[]; sourceHash: string }): Promise<StagedFile[]>;
  writeAssetManifest(input: { sourceHash: string; entries: string[] }): Promise<ViteManifest>;
  compressAssets(input: { sourceHash: string; keys: string[] }): Promise<StagedFile[]>;
  registerAssetBuild(input: {
    sourceHash: string;
    entries: string[];
    files: StagedFile[];
    workflowId: string;
  }): Promise<number>;
  uploadAssets(input: {
    sourceHash: string;
    files: StagedFile[];
  }): Promise<{ uploadedFiles: number; uploadedBytes: number }>;
  markAssetBuildReady(input: {
    buildId: number;
    manifest: ViteManifest;
    uploadedFiles: number;
    uploadedBytes: number;
    phaseMs: Record<string, number>;
  }): Promise<void>;
  switchLiveAssets(input: { buildId: number; actor: Actor; workflowId: string }): Promise<AssetSwitch>;
  recordAssetPhases(input: { buildId: number; phaseMs: Record<string, number> }): Promise<void>;
  rollbackLiveAssets(input: { buildId?: number; actor: Actor; workflowId: string }): Promise<AssetSwitch>;
  collectAssetBuilds(input: {
    keepPrevious?: number;
    keepYoungerThanMs?: number;
  }): Promise<Omit<AssetCollection, 'deletedFiles'>>;
  purgeAssetFiles(): Promise<{ deletedFiles: number }>;
  removeAssetStaging(input: { sourceHash: string }): Promise<void>;
  sweepAssetStaging(input: { olderThanMs?: number }): Promise<{ removedStages: number }>;
}
