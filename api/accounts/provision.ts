import type { Client } from '@temporalio/client';
import type { ProvisionAccountInput, ProvisionAccountResult } from '../../contracts/accounts.ts';
import { workflows } from '../../contracts/workflows.ts';
import { runWrite } from '../write.ts';

export interface ProvisionRequest {
  idempotencyKey: string;
  body: Pick<ProvisionAccountInput, 'name' | 'locale' | 'admin'>;
  actor: ProvisionAccountInput['actor'];
  /** How long to wait for the workflow before answering 202. */
  waitMs: number;
}

export interface Provisioned {
  result: ProvisionAccountResult;
  workflowId: string;
  /**
   * When the administrator's one-time sign-in link expires: only for the request that started the run. The link
   * itself goes by mail to the administrator's address; the caller never holds it.
   */
  signIn: { expiresAt: string } | null;
}

/** How long the administrator's first sign-in link works: long enough to reach them by mail. */
export const PROVISIONED_LINK_TTL_MS = 72 * 3_600_000;

/**
 * Runs `provisionAccount` under an id derived from the Idempotency-Key. No secret is made here: the workflow's
 * `mailSignInLink` child makes the link's secret and mails it to the administrator's address, so the platform
 * caller never holds a way in as the administrator (who may be an address's owner it does not know).
 * Two requests are the same when their bodies are.
 */
export async function provisionThroughWorkflow(client: Client, request: ProvisionRequest): Promise<Provisioned> {
  const expiresAt = new Date(Date.now() + PROVISIONED_LINK_TTL_MS).toISOString();
  const { body } = request;
  const { result, replayed, workflowId } = await runWrite(client, {
    entry: workflows.provisionAccount,
    key: { key: request.idempotencyKey },
    input: {
      ...body,
      idempotencyKey: request.idempotencyKey,
      signInLink: { expiresAt },
      actor: request.actor,
    },
    fingerprintOf: {
      name: body.name,
      locale: body.locale ?? 'en',
      admin: { name: body.admin.name, email: body.admin.email },
    },
    waitMs: request.waitMs,
  });
  // A key that outlived the run's retention matches an older account, whose link is another: not this one's expiry.
  const shown = !replayed && result.tokenStored;
  return { result, workflowId, signIn: shown ? { expiresAt } : null };
}
