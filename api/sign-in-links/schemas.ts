import { z } from '@hono/zod-openapi';
import { issueSignInLinkInput, type SignedIn, type SignInLinkRecord } from '../../contracts/sign-in-links.ts';
import { rowId } from '../common-schemas.ts';
import { apiEmail, apiText } from '../text-rules.ts';

export const issueBody = z
  .object({
    email: apiEmail(issueSignInLinkInput.shape.email),
    account_id: rowId.openapi({ description: 'The account the token will act in; the user must be a member' }),
    reason: apiText(issueSignInLinkInput.shape.reason).openapi({ description: 'Why: kept in the audit log' }),
    expires_in_minutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(30)
      .openapi({ description: 'How long the link works (default 30 minutes, at most a day)' }),
  })
  .strict()
  .openapi('IssueSignInLinkRequest');

export const signInLink = z
  .object({
    id: z.number().int(),
    user_id: z.number().int(),
    account_id: z.number().int(),
    expires_at: z.string().openapi({
      description:
        "When the link stops working. The link is mailed to the user's address, never answered: they redeem it at POST /v1/sign-in-links/redeem",
    }),
  })
  .openapi('SignInLink');

export const redeemBody = z
  .object({
    token: z
      .string()
      .regex(/^sil_[A-Za-z0-9_-]{43}$/, 'must be a sign-in token')
      .openapi({ description: 'The one-time token the sign-in mail brought you' }),
  })
  .strict()
  .openapi('RedeemSignInLinkRequest');

export const signedIn = z
  .object({
    account_id: z.number().int(),
    user_id: z.number().int(),
    role: z.enum(['administrator', 'agent']),
    access_token: z.string().openapi({ description: 'Your token for that account, shown this once' }),
  })
  .openapi('SignedIn');

export const linkView = (r: SignInLinkRecord) => ({
  id: r.id,
  user_id: r.userId,
  account_id: r.accountId,
  expires_at: r.expiresAt,
});

export const signedInView = (r: SignedIn, accessToken: string) => ({
  account_id: r.accountId,
  user_id: r.userId,
  role: r.role,
  access_token: accessToken,
});
