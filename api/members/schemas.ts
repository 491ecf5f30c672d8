import { z } from '@hono/zod-openapi';
import {
  addMemberInput,
  changeRoleInput,
  createAccessTokenInput,
  type AccessTokenRecord,
} from '../../contracts/members.ts';
import { userScopeNames } from '../../domain/scopes.ts';
import { accountParam, idParam, role, scopesField } from '../common-schemas.ts';
import { apiEmail, apiText } from '../text-rules.ts';

/** An ISO-8601 instant with its offset (a past one makes a token that is expired from the start). */
export const futureInstant = z.iso.datetime({ offset: true });

export const member = z
  .object({ user_id: z.number().int(), name: z.string(), email: z.string(), role })
  .openapi('Member');
export const accessToken = z
  .object({
    id: z.number().int(),
    user_id: z.number().int(),
    name: z.string(),
    prefix: z.string(),
    revoked_at: z.string().nullable(),
    expires_at: z.string().nullable().optional(),
    scopes: z.array(z.enum(userScopeNames)).openapi({ description: 'What the token may do (domain/scopes.ts)' }),
    token: z.string().optional(),
  })
  .openapi('AccessToken');
export const userParam = accountParam.extend({ userId: idParam('userId') });
export const tokenParam = accountParam.extend({ tokenId: idParam('tokenId') });

export const addMemberBody = addMemberInput
  .pick({ name: true, email: true, role: true })
  .extend({ name: apiText(addMemberInput.shape.name), email: apiEmail(addMemberInput.shape.email) })
  .strict()
  .openapi('AddMemberRequest');
export const changeRoleBody = changeRoleInput.pick({ role: true }).strict().openapi('ChangeRoleRequest');
export const createTokenBody = z
  .object({
    name: apiText(createAccessTokenInput.shape.name),
    user_id: createAccessTokenInput.shape.userId
      .max(Number.MAX_SAFE_INTEGER)
      .optional()
      .openapi({ description: 'Your own user id, if sent: a token is made only for the user asking' }),
    expires_at: futureInstant
      .optional()
      .openapi({ description: 'When the token stops working (ISO 8601); never when absent' }),
    scopes: scopesField(
      userScopeNames,
      "What the token may do. None wider than your own token's scopes and role, nor than the member's role (403 naming the scope). Absent: every scope the member's role allows within yours; tokens made before scopes existed carry every scope their role allowed then.",
    ),
  })
  .strict()
  .openapi('CreateAccessTokenRequest');

export const memberLinks = {
  ChangeRole: {
    operationId: 'changeMemberRole',
    parameters: { id: '$request.path.id', userId: '$response.body#/user_id' },
  },
  Remove: { operationId: 'removeMember', parameters: { id: '$request.path.id', userId: '$response.body#/user_id' } },
};

export const tokenView = (t: AccessTokenRecord) => ({
  id: t.id,
  user_id: t.userId,
  name: t.name,
  prefix: t.prefix,
  revoked_at: t.revokedAt,
  expires_at: t.expiresAt,
  scopes: t.scopes,
});
