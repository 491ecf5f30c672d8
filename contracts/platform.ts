import { z } from 'zod';
import type { Scope } from '../domain/scopes.ts';
import { actor, scopeList } from './common.ts';
import { lazySchema } from './lazy.ts';

const tokenHash = lazySchema('platform.tokenHash', () =>
  z.object({
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a hex SHA-256'),
    prefix: z.string().min(1).max(32),
  }),
);

/** Platform tokens (Chatwoot's platform apps): listed, made, rotated and revoked by a platform token or an operator. */
export const createPlatformTokenInput = lazySchema('platform.createPlatformTokenInput', () =>
  z.object({
    app: z.string().trim().min(1).max(100),
    name: z.string().trim().min(1).max(100),
    token: tokenHash,
    expiresAt: z.iso.datetime({ offset: true }).optional(),
    /** Checked by the API against its maker's; absent (runs made before scopes): every platform scope. */
    scopes: scopeList.optional(),
    actor,
  }),
);
/** A new token for the same app and name; the old one stops at once, or after `graceSeconds` so callers can switch. */
export const rotatePlatformTokenInput = lazySchema('platform.rotatePlatformTokenInput', () =>
  z.object({
    tokenId: z.number().int().positive(),
    token: tokenHash,
    graceSeconds: z
      .number()
      .int()
      .min(0)
      .max(30 * 86_400)
      .default(0),
    actor,
  }),
);
export const revokePlatformTokenInput = lazySchema('platform.revokePlatformTokenInput', () =>
  z.object({ tokenId: z.number().int().positive(), actor }),
);

/** Suspended accounts refuse writes and their webhooks stop; reads still answer. */
export const setAccountStatusInput = lazySchema('platform.setAccountStatusInput', () =>
  z.object({
    accountId: z.number().int().positive(),
    status: z.enum(['active', 'suspended']),
    reason: z.string().trim().min(1).max(500).optional(),
    actor,
  }),
);

export type CreatePlatformTokenInput = z.infer<typeof createPlatformTokenInput>;
export type RotatePlatformTokenInput = z.infer<typeof rotatePlatformTokenInput>;
export type RevokePlatformTokenInput = z.infer<typeof revokePlatformTokenInput>;
export type SetAccountStatusInput = z.infer<typeof setAccountStatusInput>;

export interface PlatformTokenRecord {
  id: number;
  app: string;
  name: string;
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  scopes: Scope[];
}

export interface AccountStatusChange {
  accountId: number;
  status: 'active' | 'suspended';
  changed: boolean;
}
