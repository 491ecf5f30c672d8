import { z } from '@hono/zod-openapi';
import type { BreakGlassActivation, GrantEffect } from '../../contracts/admin.ts';
import { idParam } from '../common-schemas.ts';
import { promotion, revokeBody } from './schemas.ts';

export const activateBody = revokeBody.openapi('ActivateBreakGlassRequest');
export const keepBody = revokeBody.openapi('KeepGrantEffectRequest');
export const grantParam = z.object({ grantId: idParam('grantId') });
export const effectParam = grantParam.extend({ effectId: idParam('effectId') });

export const activation = z
  .object({
    token: z.string().nullable().openapi({
      description:
        'The break-glass token (`capbg_…`), shown this once (null on a repeat with the same Idempotency-Key)',
    }),
    token_prefix: z.string(),
    grant_id: z.number().int(),
    expires_at: z.string().openapi({ description: 'The grant’s end as it stands: the token opens nothing after it' }),
  })
  .openapi('BreakGlassActivation');

export const effect = z
  .object({
    id: z.number().int(),
    kind: z.enum(['invitation', 'membership', 'token', 'webhook', 'role']),
    subject_id: z.number().int().openapi({
      description: 'The invitation’s, membership’s (also for a role change), access token’s or webhook’s id',
    }),
    account_id: z.number().int(),
    created_at: z.string(),
    kept_at: z.string().nullable(),
    kept_by: z.string().nullable(),
    kept_reason: z.string().nullable(),
    ended_at: z.string().nullable(),
  })
  .openapi('GrantEffect');

export const grantWithEffects = promotion
  .extend({
    activation: z
      .object({ token_prefix: z.string(), reason: z.string(), activated_at: z.string() })
      .nullable()
      .openapi({ description: 'The break-glass token the grantee made, by its prefix; null until activated' }),
    effects: z
      .array(effect)
      .openapi({ description: 'What the grantee made with it; ended with the grant unless kept' }),
  })
  .openapi('GrantWithEffects');

export const activationView = (a: BreakGlassActivation, plaintext: string | null) => ({
  token: plaintext,
  token_prefix: a.prefix,
  grant_id: a.grantId,
  expires_at: a.expiresAt,
});

export const effectView = (e: GrantEffect) => ({
  id: e.id,
  kind: e.kind,
  subject_id: e.subjectId,
  account_id: e.accountId,
  created_at: e.createdAt,
  kept_at: e.keptAt,
  kept_by: e.keptBy,
  kept_reason: e.keptReason,
  ended_at: e.endedAt,
});
