import { z } from '@hono/zod-openapi';
import { promoteInput, ttlMs, type Promotion, type TokenDiagnosis } from '../../contracts/admin.ts';
import { ProblemError } from '../problem/index.ts';
import { scopeNames } from '../../domain/scopes.ts';
import { rowId } from '../common-schemas.ts';
import { apiEmail, apiText } from '../text-rules.ts';

/** `30s`, `90m`, `1h`: how long a grant lasts, or how much longer. */
const ttl = z
  .string()
  .regex(/^[1-9]\d{0,5}[smh]$/, 'must be a duration such as 30s, 90m or 1h')
  .openapi({ example: '1h', description: 'At least 5s, at most 24h' });
const email = apiEmail(promoteInput.shape.email);
const reason = apiText(promoteInput.shape.reason).openapi({ description: 'Why: kept in the audit log' });

/** The TTL in ms, refused with a field error outside 5s–24h (before any workflow starts). */
export function ttlMsOf(text: string): number {
  const ms = Number(text.slice(0, -1)) * { s: 1_000, m: 60_000, h: 3_600_000 }[text.at(-1) as 's'];
  if (!ttlMs.safeParse(ms).success)
    throw new ProblemError('validation', 'The TTL must be between 5s and 24h.', {
      errors: [{ field: 'ttl', message: 'must be between 5s and 24h' }],
    });
  return ms;
}

export const promoteBody = z.object({ email, reason, ttl }).strict().openapi('PromoteRequest');
export const revokeBody = z.object({ reason }).strict().openapi('RevokePromotionRequest');
export const extendBody = z.object({ reason, ttl }).strict().openapi('ExtendPromotionRequest');
export const forceResetBody = z.object({ email, reason }).strict().openapi('ForceResetRequest');
export const debugAuthBody = z
  .object({
    token: z.string().min(4).max(512).openapi({
      description: 'A whole token (hashed at once, never stored or echoed) or the prefix shown for it',
    }),
    account_id: rowId.optional().openapi({ description: 'The account the refused request was for' }),
    required_role: z
      .enum(['administrator', 'agent'])
      .optional()
      .openapi({ description: 'The role the refused route needs' }),
    required_scope: z
      .enum(scopeNames)
      .optional()
      .openapi({ description: 'The scope the refused route needs (the `missing_scope` of its 403)' }),
    reason: reason.optional(),
  })
  .strict()
  .openapi('DebugAuthRequest');
export const emailParam = z.object({
  email: email.openapi({ param: { name: 'email', in: 'path' }, example: 'ana@example.com' }),
});

export const promotion = z
  .object({
    grant_id: z.number().int(),
    user_id: z.number().int(),
    email: z.string(),
    reason: z.string(),
    granted_by: z.string(),
    granted_at: z.string(),
    expires_at: z.string(),
    ended_at: z.string().nullable(),
    end_reason: z.enum(['expired', 'revoked', 'force_reset']).nullable(),
    workflow_id: z.string().openapi({ description: 'The workflow that holds the grant and ends it at expires_at' }),
  })
  .openapi('Promotion');
export const forceResetAnswer = z
  .object({
    user_id: z.number().int(),
    email: z.string(),
    tokens_revoked: z.number().int(),
    invitations_revoked: z.number().int(),
    promotion_ended: z.boolean(),
    reset_at: z.string(),
  })
  .openapi('ForceResetResult');
export const diagnosis = z
  .object({
    prefix: z.string().nullable(),
    verdict: z.enum([
      'accepted',
      'unknown',
      'revoked',
      'credentials_reset',
      'expired',
      'not_a_member',
      'wrong_account',
      'role_too_low',
      'scope_missing',
      'account_suspended',
      'grant_ended',
    ]),
    explanation: z.string(),
    token_id: z.number().int().nullable(),
    owner: z.object({ type: z.enum(['User', 'PlatformApp']), id: z.number().int() }).nullable(),
    account_id: z.number().int().nullable(),
    role: z.string().nullable(),
    super_admin: z.boolean().openapi({ description: 'True only for a break-glass token whose grant is in force' }),
    scopes: z.array(z.string()).openapi({ description: 'The scopes the token carries' }),
    grant_id: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'The break-glass grant a break-glass token belongs to' }),
  })
  .openapi('TokenDiagnosis');

export const promotionView = (p: Promotion) => ({
  grant_id: p.grantId,
  user_id: p.userId,
  email: p.email,
  reason: p.reason,
  granted_by: p.grantedBy,
  granted_at: p.grantedAt,
  expires_at: p.expiresAt,
  ended_at: p.endedAt,
  end_reason: p.endReason,
  workflow_id: p.workflowId,
});

export const diagnosisView = (d: TokenDiagnosis) => ({
  prefix: d.prefix,
  verdict: d.verdict,
  explanation: d.explanation,
  token_id: d.tokenId,
  owner: d.owner,
  account_id: d.accountId,
  role: d.role,
  super_admin: d.superAdmin,
  scopes: d.scopes,
  grant_id: d.grantId,
});
