import { z } from 'zod';
import { actor } from './common.ts';
import { lazySchema } from './lazy.ts';

const sha256 = lazySchema('sign-in-links.sha256', () => z.string().regex(/^[0-9a-f]{64}$/, 'must be a hex SHA-256'));
const tokenHash = lazySchema('sign-in-links.tokenHash', () => z.object({ sha256, prefix: z.string().min(1).max(32) }));

/**
 * A one-time sign-in link, issued by the platform operator only: the way back after a forced reset, and the
 * first credential of a user the platform made. Its secret enters as a hash; only the user should hold it.
 */
export const issueSignInLinkInput = lazySchema('sign-in-links.issueSignInLinkInput', () =>
  z.object({
    email: z.string().trim().toLowerCase().email().max(320),
    accountId: z.number().int().positive(),
    reason: z.string().trim().min(1).max(500),
    /**
     * Runs recorded before sign-in links were mailed: the link's hash, its plaintext in one HTTP answer. Now the
     * secret is made by `mailSignInLink`, which mails it to the user's address and keeps only its hash.
     */
    link: tokenHash.optional(),
    expiresAt: z.iso.datetime({ offset: true }),
    actor,
  }),
);
/** Redeemed by whoever holds the link: it yields a token owned by the link's user, once. */
export const redeemSignInLinkInput = lazySchema('sign-in-links.redeemSignInLinkInput', () =>
  z.object({
    linkSha256: sha256,
    /** The user's new token, made by the API; shown once. */
    token: tokenHash,
    actor,
  }),
);

export const mailSignInLinkInput = lazySchema('sign-in-links.mailSignInLinkInput', () =>
  z.object({ linkId: z.number().int().positive() }),
);

export type IssueSignInLinkInput = z.infer<typeof issueSignInLinkInput>;
export type RedeemSignInLinkInput = z.infer<typeof redeemSignInLinkInput>;

export interface SignInLinkRecord {
  id: number;
  userId: number;
  accountId: number;
  prefix: string;
  expiresAt: string;
}

export type MailSignInLinkInput = z.infer<typeof mailSignInLinkInput>;

/** `not_pending`: redeemed, replaced, ended by a reset or expired before its mail went out; nothing was sent. */
export interface MailedSignInLink {
  linkId: number;
  status: 'sent' | 'not_pending';
}

export interface SignedIn {
  accountId: number;
  userId: number;
  role: 'administrator' | 'agent';
  tokenId: number;
}
