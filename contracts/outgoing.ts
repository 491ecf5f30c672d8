import { z } from 'zod';
import { actor } from './common.ts';
import { lazySchema } from './lazy.ts';

/**
 * A reply on a conversation: an agent's or a bot's (the actor is its sender), or a private note. Any door
 * (Capstan's `/v1`, Chatwoot's `/api/v1`) starts the same workflow with this input.
 */
export const postOutgoingMessageInput = lazySchema('outgoing.postOutgoingMessageInput', () =>
  z.object({
    accountId: z.number().int().positive(),
    displayId: z.number().int().positive().max(2_147_483_647),
    content: z.string().min(1).max(150_000),
    /** A note for the account's agents: never sent to the API channel's callback. */
    private: z.boolean().default(false),
    actor,
  }),
);
export type PostOutgoingMessageInput = z.input<typeof postOutgoingMessageInput>;

/** Chatwoot's message statuses; `failed` carries `externalError`. */
export type MessageStatus = 'sent' | 'delivered' | 'read' | 'failed';

export interface OutgoingMessage {
  message: {
    id: number;
    seq: number;
    content: string;
    private: boolean;
    status: MessageStatus;
    senderType: 'User' | 'AgentBot';
    senderId: number;
    createdAt: string;
  };
  conversation: { id: number; displayId: number };
  /** True when the inbox's callback will be called with it (an API-channel inbox with a `webhook_url`, not private). */
  toCallback: boolean;
}

export const rotateInboxSecretInput = lazySchema('outgoing.rotateInboxSecretInput', () =>
  z.object({
    accountId: z.number().int().positive(),
    inboxId: z.number().int().positive(),
    actor,
  }),
);
export type RotateInboxSecretInput = z.infer<typeof rotateInboxSecretInput>;

/** The secret itself stays in PostgreSQL; the API reads it there to show it once. */
export interface InboxSecretRotated {
  inboxId: number;
  rotatedAt: string;
}
