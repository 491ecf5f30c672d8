import type { Client } from '@temporalio/client';
import { issueToken } from '../../db/tokens.ts';
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
  /** The administrator's token: only for the request that started the run, and only once it is stored. */
  accessToken: string | null;
}

/**
 * Runs `provisionAccount` under an id derived from the Idempotency-Key. The
 * token is made here and only its hash enters the workflow, so the plaintext
 * exists in exactly one HTTP answer and never in history. Two requests are the
 * same when their bodies are: the token hash differs on every request.
 */
export async function provisionThroughWorkflow(client: Client, request: ProvisionRequest): Promise<Provisioned> {
  const token = issueToken();
  const { body } = request;
  const { result, replayed, workflowId } = await runWrite(client, {
    entry: workflows.provisionAccount,
    key: { key: request.idempotencyKey },
    input: {
      ...body,
      idempotencyKey: request.idempotencyKey,
      token: { sha256: token.sha256, prefix: token.prefix },
      actor: request.actor,
    },
    fingerprintOf: {
      name: body.name,
      locale: body.locale ?? 'en',
      admin: { name: body.admin.name, email: body.admin.email },
    },
    waitMs: request.waitMs,
  });
  // A key that outlived the run's retention matches an older account, whose token is another: not stored, not shown.
  return { result, workflowId, accessToken: !replayed && result.tokenStored ? token.plaintext : null };
}
