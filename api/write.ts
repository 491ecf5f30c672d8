import { createHash, randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowFailedError, type Client } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure, ChildWorkflowFailure, WorkflowIdReusePolicy } from '@temporalio/common';
import { taskQueues } from '../config/catalogue.ts';
import { searchAttributes } from '../config/search-attributes.ts';
import { ProblemError, type ProblemKind } from './problem/index.ts';

export interface WriteRequest {
  workflowType: string;
  /** Business key; the Idempotency-Key (or a fresh id) is appended. */
  idPrefix: string;
  idempotencyKey?: string;
  input: unknown;
  accountId?: number;
  waitMs: number;
  /** Defaults to `idPrefix:<key>`; a business key (a message's source_id) overrides it. */
  workflowId?: string;
  /** What makes two requests "the same" for the key; defaults to the input (override when it holds per-request values). */
  fingerprintOf?: unknown;
  /** Shown in the Web UI. */
  summary?: string;
  executionTimeout?: string;
}

export interface WriteResult<T> {
  result: T;
  workflowId: string;
  /** True when an earlier request with the same key had already run this write. */
  replayed: boolean;
}

/** Failure types raised by activities and workflows, and the answer each gets. */
const failureStatus: Record<string, ProblemKind> = {
  ValidationError: 'validation',
  NotFound: 'notFound',
  Forbidden: 'forbidden',
  Conflict: 'conflict',
  ConstraintViolation: 'conflict',
  PaymentRequired: 'paymentRequired',
};

/**
 * Runs one write workflow and waits for its result. The same key with the same
 * input answers with the first run's result; with other input, 422.
 */
export async function runWrite<T>(client: Client, request: WriteRequest): Promise<WriteResult<T>> {
  const workflowId = request.workflowId ?? `${request.idPrefix}:${request.idempotencyKey ?? randomUUID()}`;
  const fingerprint = createHash('sha256').update(JSON.stringify(request.fingerprintOf ?? request.input)).digest('hex');
  let replayed = false;
  let handle;
  try {
    handle = await client.workflow.start(request.workflowType, {
      workflowId,
      taskQueue: taskQueues.core,
      args: [request.input],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      typedSearchAttributes: [
        { key: searchAttributes.kind, value: request.workflowType },
        ...(request.accountId ? [{ key: searchAttributes.accountId, value: String(request.accountId) }] : []),
      ],
      memo: { requestFingerprint: fingerprint },
      ...(request.summary && { staticSummary: request.summary }),
      ...(request.executionTimeout && { workflowExecutionTimeout: request.executionTimeout }),
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    replayed = true;
    handle = client.workflow.getHandle(workflowId);
    const { memo } = await handle.describe();
    if (memo?.requestFingerprint !== fingerprint) {
      throw new ProblemError('idempotencyMismatch', 'This key was already used for a different request; use a new Idempotency-Key.', { workflowId });
    }
  }
  try {
    const result = (await client.withDeadline(Date.now() + request.waitMs, () => handle.result())) as T;
    return { result, workflowId, replayed };
  } catch (err) {
    throw toProblem(err, workflowId);
  }
}

export function toProblem(err: unknown, workflowId: string): unknown {
  if (err instanceof WorkflowFailedError) {
    const cause = applicationFailureOf(err);
    const kind = cause?.type ? failureStatus[cause.type] : undefined;
    if (kind) return new ProblemError(kind, cause!.message, { workflowId, ...(cause!.details?.[0] ? { errors: cause!.details[0] } : {}) });
    return new Error(`workflow ${workflowId} failed: ${err.cause?.message ?? err.message}`, { cause: err });
  }
  if (isDeadlineExceeded(err)) {
    return new ProblemError('accepted', 'Still running. Repeat the request with the same Idempotency-Key to get its result.', { workflowId });
  }
  return err;
}

/** The ApplicationFailure that failed a workflow, looking through activity and child-workflow wrappers. */
export function applicationFailureOf(err: WorkflowFailedError): ApplicationFailure | undefined {
  let cause: unknown = err.cause;
  while (cause instanceof ActivityFailure || cause instanceof ChildWorkflowFailure) cause = cause.cause;
  return cause instanceof ApplicationFailure ? cause : undefined;
}

export function isDeadlineExceeded(err: unknown): boolean {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === 4) return true; // gRPC DEADLINE_EXCEEDED
  }
  return false;
}
