import { defineSignal, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import { actor } from './common.ts';
import { scopeNames } from '../domain/scopes.ts';
import { roles } from './members.ts';
import { lazySchema } from './lazy.ts';

/**
 * Triage operations (platform token, each audited): a break-glass super-admin
 * grant that ends itself at its expiry, a forced credential reset, and auth
 * debugging that names tokens only by their prefix.
 */
const email = lazySchema('admin.email', () => z.string().trim().toLowerCase().email().max(320));
const reason = lazySchema('admin.reason', () => z.string().trim().min(1).max(500));
/** At least 5 s (tests use seconds), at most a day per grant or extension: break glass is short. */
export const ttlMs = lazySchema('admin.ttlMs', () =>
  z
    .number()
    .int()
    .min(5_000)
    .max(24 * 3_600_000),
);

export const promoteInput = lazySchema('admin.promoteInput', () => z.object({ email, reason, ttlMs, actor }));
export const revokePromotionInput = lazySchema('admin.revokePromotionInput', () => z.object({ email, reason, actor }));
export const extendPromotionInput = lazySchema('admin.extendPromotionInput', () =>
  z.object({ email, reason, ttlMs, actor }),
);
export const forceResetInput = lazySchema('admin.forceResetInput', () => z.object({ email, reason, actor }));
export const debugAuthInput = lazySchema('admin.debugAuthInput', () =>
  z.object({
    /** The hash of a whole token, or the prefix shown for it; the secret itself never reaches a workflow. */
    token: z.union([
      z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a hex SHA-256') }),
      z.object({ prefix: z.string().min(4).max(32) }),
    ]),
    /** The account a refused request was for, to explain "wrong account". */
    accountId: z.number().int().positive().optional(),
    /** The role the route needed, to explain "role too low". */
    requiredRole: z.enum(roles).optional(),
    /** The scope the route needed, to explain "scope missing". */
    requiredScope: z.enum(scopeNames).optional(),
    reason: reason.optional(),
    actor,
  }),
);

export type PromoteInput = z.infer<typeof promoteInput>;
export type RevokePromotionInput = z.infer<typeof revokePromotionInput>;
export type ExtendPromotionInput = z.infer<typeof extendPromotionInput>;
export type ForceResetInput = z.infer<typeof forceResetInput>;
export type DebugAuthInput = z.infer<typeof debugAuthInput>;

export interface Promotion {
  grantId: number;
  userId: number;
  email: string;
  reason: string;
  grantedBy: string;
  grantedAt: string;
  expiresAt: string;
  endedAt: string | null;
  endReason: 'expired' | 'revoked' | 'force_reset' | null;
  /** The workflow that holds the grant and ends it at `expiresAt`. */
  workflowId: string;
}

export interface ForceResetResult {
  userId: number;
  email: string;
  tokensRevoked: number;
  invitationsRevoked: number;
  promotionEnded: boolean;
  resetAt: string;
}

export type AuthVerdict =
  | 'accepted'
  | 'unknown'
  | 'revoked'
  | 'credentials_reset'
  | 'expired'
  | 'not_a_member'
  | 'wrong_account'
  | 'role_too_low'
  | 'scope_missing'
  | 'account_suspended'
  | 'grant_ended';

export interface TokenDiagnosis {
  /** The token's display prefix: never the secret. */
  prefix: string | null;
  verdict: AuthVerdict;
  explanation: string;
  tokenId: number | null;
  owner: { type: 'User' | 'PlatformApp'; id: number } | null;
  accountId: number | null;
  role: string | null;
  superAdmin: boolean;
  /** What the token may do; empty for an unknown token. */
  scopes: string[];
  /** The break-glass grant a break-glass token belongs to; null for other tokens. */
  grantId: number | null;
}

export interface DebugAuthResult {
  diagnoses: TokenDiagnosis[];
}

/** The grant as it is now: waits for the grant to be made (or refused) when asked right after the start. */
export const promotionUpdate = defineUpdate<Promotion>('promotion');
/** The grant's row changed (revoked, extended, reset): the holder reads it again. Carries nothing to trust. */
export const grantChangedSignal = defineSignal('grantChanged');

/**
 * The grantee activates their grant with their own (ordinary) token: the API makes a break-glass token and hands
 * the workflow its hash only. Once per grant.
 */
export const activateBreakGlassInput = lazySchema('admin.activateBreakGlassInput', () =>
  z.object({
    token: z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), prefix: z.string().min(4).max(32) }),
    /** The ordinary token the grantee activated with, kept with the break-glass token. */
    activatedWith: z.number().int().positive(),
    reason,
    actor,
  }),
);
/** An operator keeps one thing the grantee made, so it outlives the grant. */
export const keepGrantEffectInput = lazySchema('admin.keepGrantEffectInput', () =>
  z.object({ grantId: z.number().int().positive(), effectId: z.number().int().positive(), reason, actor }),
);
export type ActivateBreakGlassInput = z.infer<typeof activateBreakGlassInput>;
export type KeepGrantEffectInput = z.infer<typeof keepGrantEffectInput>;

export interface BreakGlassActivation {
  grantId: number;
  tokenId: number;
  prefix: string;
  expiresAt: string;
}

export type { GrantEffect } from '../domain/grant-effect.ts';
