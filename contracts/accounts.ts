import { z } from 'zod';
import { actor } from './common.ts';
import { lazySchema } from './lazy.ts';

/** What `provisionAccount` takes. Secrets never enter: the token arrives as its hash. */
export const provisionAccountInput = lazySchema(() =>
  z.object({
    idempotencyKey: z.string().min(1).max(255),
    name: z.string().trim().min(1).max(255),
    locale: z.string().min(2).max(10).default('en'),
    admin: z.object({
      name: z.string().trim().min(1).max(255),
      email: z.string().trim().toLowerCase().email().max(320),
    }),
    token: z.object({
      sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a hex SHA-256'),
      prefix: z.string().min(1).max(32),
    }),
    actor,
  }),
);

export type ProvisionAccountInput = z.input<typeof provisionAccountInput>;
export type ProvisionAccountCommand = z.output<typeof provisionAccountInput> & { workflowId: string };

export interface ProvisionAccountResult {
  account: { id: number; name: string };
  admin: { id: number; email: string; name: string };
  /** False when an earlier attempt had already committed this account. */
  created: boolean;
  /** The token whose hash this run carried is stored: the request that started the run may show it. */
  tokenStored: boolean;
}
