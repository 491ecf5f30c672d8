import type { Client } from '@temporalio/client';
import { issueSignInSecret } from '../../db/tokens.ts';
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
   * The administrator's one-time sign-in link: only for the request that started the run, and only once it is
   * stored. The caller hands it to the administrator, who redeems it for a token of their own.
   */
  signIn: { token: string; expiresAt: string } | null;
}

/** How long the administrator's first sign-in link works: long enough to reach them by mail. */
export const PROVISIONED_LINK_TTL_MS = 72 * 3_600_000;

/**
 * Runs `provisionAccount` under an id derived from the Idempotency-Key. The link's secret is made here and only
 * its hash enters the workflow, so the plaintext exists in exactly one HTTP answer and never in history. The
 * platform caller never holds the administrator's token: only a link that works once, expires, and whose
 * redemption the audit log records. Two requests are the same when their bodies are.
 */
export async function provisionThroughWorkflow(client: Client, request: ProvisionRequest): Promise<Provisioned> {
  const link = issueSignInSecret();
  const expiresAt = new Date(Date.now() + PROVISIONED_LINK_TTL_MS).toISOString();
  const { body } = request;
  const { result, replayed, workflowId } = await runWrite(client, {
    entry: workflows.provisionAccount,
    key: { key: request.idempotencyKey },
    input: {
      ...body,
      idempotencyKey: request.idempotencyKey,
      signInLink: { sha256: link.sha256, prefix: link.prefix, expiresAt },
      actor: request.actor,
    },
    fingerprintOf: {
      name: body.name,
      locale: body.locale ?? 'en',
      admin: { name: body.admin.name, email: body.admin.email },
    },
    waitMs: request.waitMs,
  });
  // A key that outlived the run's retention matches an older account, whose link is another: not stored, not shown.
  const shown = !replayed && result.tokenStored;
  return { result, workflowId, signIn: shown ? { token: link.plaintext, expiresAt } : null };
}
