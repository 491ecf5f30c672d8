import { z } from '@hono/zod-openapi';
import {
  acceptInvitationInput,
  inviteMemberInput,
  type Accepted,
  type InvitationRecord,
} from '../../contracts/members.ts';
import { accountParam, idParam, role } from '../common-schemas.ts';
import { apiEmail, apiText } from '../text-rules.ts';

export const invitation = z
  .object({
    id: z.number().int(),
    account_id: z.number().int(),
    email: z.string(),
    role,
    status: z.enum(['pending', 'accepted', 'revoked', 'expired']),
    expires_at: z.string(),
  })
  .openapi('Invitation');

export const joined = z
  .object({
    account_id: z.number().int(),
    user_id: z.number().int(),
    role,
    access_token: z.string().nullable().openapi({ description: 'A token for the account joined, shown once' }),
  })
  .openapi('JoinedAccount');

export const inviteBody = inviteMemberInput
  .pick({ email: true, role: true })
  .extend({
    email: apiEmail(inviteMemberInput.shape.email),
    expires_in_hours: z
      .number()
      .int()
      .min(1)
      .max(30 * 24)
      .default(7 * 24)
      .openapi({ description: 'How long the link works (default 7 days)' }),
  })
  .strict()
  .openapi('InviteRequest');

export const acceptBody = z
  .object({
    token: z
      .string()
      .regex(/^inv_[A-Za-z0-9_-]{43}$/, 'must be an invitation token')
      .openapi({ description: 'The token the invitation mail carried' }),
    name: apiText(acceptInvitationInput.shape.name.unwrap())
      .optional()
      .openapi({ description: 'Your name, if this email has no user yet' }),
  })
  .strict()
  .openapi('AcceptInvitationRequest');

export const invitationParam = accountParam.extend({ invitationId: idParam('invitationId') });
export const ownInvitationParam = z.object({ invitationId: idParam('invitationId') });

export const invitationView = (r: InvitationRecord) => ({
  id: r.id,
  account_id: r.accountId,
  email: r.email,
  role: r.role,
  status: r.status,
  expires_at: r.expiresAt,
});

/** The token is in the answer of the request that made it only; a replay answers null. */
export const joinedView = (r: Accepted, accessToken: string | null) => ({
  account_id: r.accountId,
  user_id: r.userId,
  role: r.role,
  access_token: accessToken,
});
