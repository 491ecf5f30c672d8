/**
 * The workflow inputs the not-yet-wired door operations build (api/chatwoot/pending.ts). Their workflows are
 * being written on other branches; wiring one replaces its type here by the contract's and its row's `wiresTo`
 * by a start. Actor and account are on every input, as on every Capstan write.
 */
import type { Actor } from '../../contracts/common.ts';

interface InAccount {
  accountId: number;
  actor: Actor;
}
export interface UpdateInboxInput extends InAccount {
  inboxId: number;
  name?: string;
  webhookUrl?: string;
  lockToSingleConversation?: boolean;
}
export interface CreateConversationInput extends InAccount {
  inboxId: number;
  sourceId?: string;
  contactId?: number;
  status?: 'open' | 'resolved' | 'pending' | 'snoozed';
  assigneeId?: number;
  snoozedUntil?: string;
  message?: { content: string };
}
export interface UpdateConversationInput extends InAccount {
  displayId: number;
  priority?: 'urgent' | 'high' | 'medium' | 'low' | 'none';
}
export interface UpdateMessageInput extends InAccount {
  displayId: number;
  messageId: number;
  status?: 'sent' | 'delivered' | 'read' | 'failed';
  externalError?: string;
}
export interface DeleteMessageInput extends InAccount {
  displayId: number;
  messageId: number;
}
