import { z } from 'zod';
import { actor } from './common.ts';
import { lazySchema } from './lazy.ts';

const secretHash = () =>
  z.object({
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a hex SHA-256'),
    prefix: z.string().min(1).max(32),
  });

/**
 * What `provisionAccount` takes. Secrets never enter: the administrator's one-time sign-in link carries only its
 * expiry, and `mailSignInLink` makes its secret and mails it. Runs recorded before that carried the link's hash
 * (`sha256`, `prefix`), and runs before the sign-in link an access token's hash (`token`); they still complete.
 */
export const provisionAccountInput = lazySchema('accounts.provisionAccountInput', () =>
  z
    .object({
      idempotencyKey: z.string().min(1).max(255),
      name: z.string().trim().min(1).max(255),
      locale: z.string().min(2).max(10).default('en'),
      admin: z.object({
        name: z.string().trim().min(1).max(255),
        email: z.string().trim().toLowerCase().email().max(320),
      }),
      signInLink: secretHash()
        .partial()
        .extend({ expiresAt: z.string().datetime({ offset: true }) })
        .optional(),
      token: secretHash().optional(),
      actor,
    })
    .refine((input) => (input.signInLink === undefined) !== (input.token === undefined), {
      message: 'carries either the sign-in link or (runs started before it) the token',
    }),
);

export type ProvisionAccountInput = z.input<typeof provisionAccountInput>;
export type ProvisionAccountCommand = z.output<typeof provisionAccountInput> & { workflowId: string };

export interface ProvisionAccountResult {
  account: { id: number; name: string };
  admin: { id: number; email: string; name: string };
  /** False when an earlier attempt had already committed this account. */
  created: boolean;
  /** The secret whose hash this run carried is stored: the request that started the run may show it. */
  tokenStored: boolean;
  /** The administrator's sign-in link made by this run (runs since links are mailed): its mail's subject. */
  signInLinkId?: number;
}
