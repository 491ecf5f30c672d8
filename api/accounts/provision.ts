import { createHash } from 'node:crypto';
import { WorkflowFailedError, WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { workflowCatalogue } from '../../config/catalogue.ts';
import { searchAttributes } from '../../config/search-attributes.ts';
import { issueToken } from '../../db/tokens.ts';
import type { provisionAccount } from '../../workflows/provision-account.ts';
import type { ProvisionAccountInput, ProvisionAccountResult } from '../../workflows/provision-account.types.ts';
import { applicationFailureOf, isDeadlineExceeded } from '../write.ts';

export type ProvisionOutcome =
  | { outcome: 'created'; result: ProvisionAccountResult; accessToken: string; workflowId: string }
  | { outcome: 'replayed'; result: ProvisionAccountResult; workflowId: string }
  | { outcome: 'pending'; workflowId: string }
  | { outcome: 'key_reused'; workflowId: string }
  | { outcome: 'rejected'; workflowId: string; failureType: string | undefined; message: string; details: unknown };

export interface ProvisionRequest {
  idempotencyKey: string;
  body: Pick<ProvisionAccountInput, 'name' | 'locale' | 'admin'>;
  requestedBy: ProvisionAccountInput['requestedBy'];
  /** How long to wait for the workflow before answering 202. */
  waitMs: number;
}

/**
 * Starts `provisionAccount` under an id derived from the Idempotency-Key and
 * waits for it. The token is made here and only its hash enters the workflow,
 * so the plaintext exists in exactly one HTTP answer and never in history.
 */
export async function provisionThroughWorkflow(client: Client, request: ProvisionRequest): Promise<ProvisionOutcome> {
  const spec = workflowCatalogue.provisionAccount;
  const workflowId = spec.workflowId(request.idempotencyKey);
  const fingerprint = fingerprintOf(request.body);
  const token = issueToken();

  let handle;
  let started = true;
  try {
    handle = await client.workflow.start<typeof provisionAccount>('provisionAccount', {
      workflowId,
      taskQueue: spec.taskQueue,
      args: [{ ...request.body, idempotencyKey: request.idempotencyKey, token: { sha256: token.sha256, prefix: token.prefix }, requestedBy: request.requestedBy }],
      // A finished run keeps its id: a replay gets its result instead of a second account.
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      workflowExecutionTimeout: spec.executionTimeout,
      typedSearchAttributes: [{ key: searchAttributes.kind, value: 'provisionAccount' }],
      memo: { requestFingerprint: fingerprint },
      staticSummary: `Provision account "${request.body.name}" for ${request.body.admin.email}`,
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    started = false;
    handle = client.workflow.getHandle<typeof provisionAccount>(workflowId);
    const { memo } = await handle.describe();
    if (memo?.requestFingerprint !== fingerprint) return { outcome: 'key_reused', workflowId };
  }

  try {
    const result = await client.withDeadline(Date.now() + request.waitMs, () => handle.result());
    // Only the request that started the run holds the plaintext, and only a stored token may be handed out
    // (a key that outlived the run's retention matches an older account, whose token is another).
    return started && result.tokenStored
      ? { outcome: 'created', result, accessToken: token.plaintext, workflowId }
      : { outcome: 'replayed', result, workflowId };
  } catch (err) {
    if (err instanceof WorkflowFailedError) {
      const cause = applicationFailureOf(err);
      return { outcome: 'rejected', workflowId, failureType: cause?.type ?? undefined, message: cause?.message ?? err.message, details: cause?.details?.[0] };
    }
    if (isDeadlineExceeded(err)) return { outcome: 'pending', workflowId };
    throw err;
  }
}

function fingerprintOf(body: ProvisionRequest['body']): string {
  const canonical = JSON.stringify({ name: body.name, locale: body.locale ?? 'en', admin: { name: body.admin.name, email: body.admin.email } });
  return createHash('sha256').update(canonical).digest('hex');
}
