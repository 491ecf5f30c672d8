import { z } from 'zod';
import { actor } from './common.ts';

const role = z.enum(['administrator', 'agent']);

export const addMemberInput = z.object({
  accountId: z.number().int().positive(),
  name: z.string().trim().min(1).max(255),
  email: z.string().trim().toLowerCase().email().max(320),
  role,
  actor,
});
export const changeRoleInput = z.object({ accountId: z.number().int().positive(), userId: z.number().int().positive(), role, actor });
export const removeMemberInput = z.object({ accountId: z.number().int().positive(), userId: z.number().int().positive(), actor });
export const createAccessTokenInput = z.object({
  accountId: z.number().int().positive(),
  userId: z.number().int().positive(),
  name: z.string().trim().min(1).max(100),
  token: z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), prefix: z.string().min(1).max(32) }),
  actor,
});
export const revokeAccessTokenInput = z.object({ accountId: z.number().int().positive(), tokenId: z.number().int().positive(), actor });

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
}
