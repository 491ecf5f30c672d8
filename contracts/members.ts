import { z } from 'zod';
import type { UserScope } from '../domain/scopes.ts';
import { actor, scopeList } from './common.ts';
import { lazySchema } from './lazy.ts';

export const roles = ['administrator', 'agent'] as const;
const role = lazySchema('members.role', () => z.enum(roles));
const tokenHash = lazySchema('members.tokenHash', () =>
  z.object({
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a hex SHA-256'),
    prefix: z.string().min(1).max(32),
  }),
);
/** An ISO-8601 instant in the future is checked by the API; workflows take what it passed. */
const expiresAt = lazySchema('members.expiresAt', () => z.iso.datetime({ offset: true }).optional());

export const addMemberInput = lazySchema('members.addMemberInput', () =>
  z.object({
    accountId: z.number().int().positive(),
    name: z.string().trim().min(1).max(255),
    email: z.string().trim().toLowerCase().email().max(320),
    role,
    actor,
  }),
);
export const changeRoleInput = lazySchema('members.changeRoleInput', () =>
  z.object({
    accountId: z.number().int().positive(),
    userId: z.number().int().positive(),
    role,
    actor,
  }),
);
export const removeMemberInput = lazySchema('members.removeMemberInput', () =>
  z.object({
    accountId: z.number().int().positive(),
    userId: z.number().int().positive(),
    actor,
  }),
);
export const createAccessTokenInput = lazySchema('members.createAccessTokenInput', () =>
  z.object({
    accountId: z.number().int().positive(),
    userId: z.number().int().positive(),
    name: z.string().trim().min(1).max(100),
    token: tokenHash,
    expiresAt,
    /** The scopes asked for; absent: all the member's role allows within `scopeBound`. */
    scopes: scopeList.optional(),
    /** What the maker may grant (its own token's scopes within its role); absent in runs made before scopes. */
    scopeBound: z.array(z.string()).max(100).optional(),
    actor,
  }),
);
export const revokeAccessTokenInput = lazySchema('members.revokeAccessTokenInput', () =>
  z.object({
    accountId: z.number().int().positive(),
    tokenId: z.number().int().positive(),
    actor,
  }),
);

/** An administrator invites an email; the answer is the same whether a user has it or not. */
export const inviteMemberInput = lazySchema('members.inviteMemberInput', () =>
  z.object({
    accountId: z.number().int().positive(),
    email: z.string().trim().toLowerCase().email().max(320),
    role,
    /**
     * Runs recorded before invitations were mailed: the link's hash, its plaintext in one HTTP answer. Now the
     * secret is made by `mailInvitation`, which mails it to the invited address and keeps only its hash.
     */
    link: tokenHash.optional(),
    expiresAt: z.iso.datetime({ offset: true }),
    actor,
  }),
);
export const mailInvitationInput = lazySchema('members.mailInvitationInput', () =>
  z.object({ accountId: z.number().int().positive(), invitationId: z.number().int().positive() }),
);
export const revokeInvitationInput = lazySchema('members.revokeInvitationInput', () =>
  z.object({
    accountId: z.number().int().positive(),
    invitationId: z.number().int().positive(),
    actor,
  }),
);
/** Accepted with the one-time link (anyone who holds it), or by the invited user with their own token. */
export const acceptInvitationInput = lazySchema('members.acceptInvitationInput', () =>
  z.object({
    by: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('link'), linkSha256: z.string().regex(/^[0-9a-f]{64}$/) }),
      z.object({
        kind: z.literal('user'),
        invitationId: z.number().int().positive(),
        userId: z.number().int().positive(),
      }),
    ]),
    /** The new user's name, when the email has no user yet. */
    name: z.string().trim().min(1).max(255).optional(),
    /** A token for the account joined, made by the API; shown once. */
    token: tokenHash,
    actor,
  }),
);

/** An integration identity (bot) the account owns: an administrator makes it, and its tokens. */
export const createBotInput = lazySchema('members.createBotInput', () =>
  z.object({
    accountId: z.number().int().positive(),
    name: z.string().trim().min(1).max(255),
    actor,
  }),
);
export type CreateBotInput = z.infer<typeof createBotInput>;

export interface BotRecord {
  id: number;
  accountId: number;
  name: string;
}

export type InviteMemberInput = z.infer<typeof inviteMemberInput>;
export type RevokeInvitationInput = z.infer<typeof revokeInvitationInput>;
export type MailInvitationInput = z.infer<typeof mailInvitationInput>;

/** `not_pending`: accepted, withdrawn or expired before its mail went out; nothing was sent. */
export interface MailedInvitation {
  invitationId: number;
  status: 'sent' | 'not_pending';
}
export type AcceptInvitationInput = z.infer<typeof acceptInvitationInput>;

export interface InvitationRecord {
  id: number;
  accountId: number;
  email: string;
  role: 'administrator' | 'agent';
  status: 'pending' | 'accepted' | 'revoked' | 'expired';
  expiresAt: string;
}

/** Where an invitation stands, from its row's instants. */
export function invitationStatus(
  r: { accepted_at: Date | null; revoked_at: Date | null; expires_at: Date },
  now = Date.now(),
): InvitationRecord['status'] {
  return r.accepted_at ? 'accepted' : r.revoked_at ? 'revoked' : r.expires_at.getTime() <= now ? 'expired' : 'pending';
}

export interface Accepted {
  accountId: number;
  userId: number;
  role: 'administrator' | 'agent';
  tokenId: number;
}

export type AddMemberInput = z.infer<typeof addMemberInput>;
export type ChangeRoleInput = z.infer<typeof changeRoleInput>;
export type RemoveMemberInput = z.infer<typeof removeMemberInput>;
export type CreateAccessTokenInput = z.infer<typeof createAccessTokenInput>;
export type RevokeAccessTokenInput = z.infer<typeof revokeAccessTokenInput>;

export interface Member {
  userId: number;
  name: string;
  email: string;
  role: 'administrator' | 'agent';
  created: boolean;
}

export interface AccessTokenRecord {
  id: number;
  userId: number;
  name: string;
  prefix: string;
  revokedAt: string | null;
  expiresAt: string | null;
  scopes: UserScope[];
}
