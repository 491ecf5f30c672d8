import { createHash, randomUUID } from 'node:crypto';
import {
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import {
  ActivityFailure,
  ApplicationFailure,
  ChildWorkflowFailure,
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
} from '@temporalio/common';
import type { z } from 'zod';
import { failureTypes, isFailureType, type FailureStatus } from '../config/failures.ts';
import { writtenUpdate, type WorkflowEntry } from '../contracts/workflows.ts';
import { startOptions, workflowHandle } from '../workers/start.ts';
import type { Sql } from '../db/pool.ts';
import { ProblemError, type ProblemKind } from './problem/index.ts';

/** What every route factory that starts writes is given. */
export interface WriteRouteDeps {
  sql: Sql;
  temporal: Client;
  workflowWaitMs: number;
}

export interface WriteRequest<T extends string, S extends z.ZodType, R, K> {
  entry: WorkflowEntry<T, S, R, K>;
  /** The business key the entry names its run by; an Idempotency-Key, or a fresh id, is part of it. */
  key: K;
  input: z.input<S>;
  waitMs: number;
  /** What makes two requests "the same" for the key; defaults to the input (override when it holds per-request values). */
  fingerprintOf?: unknown;
}

export interface WriteResult<T> {
  result: T;
  workflowId: string;
  /** True when an earlier request with the same key had already run this write. */
  replayed: boolean;
}

/** The Idempotency-Key the client sent, or a fresh one: a request without a key is never a repeat. */
export const keyOrFresh = (idempotencyKey: string | undefined): string => idempotencyKey ?? randomUUID();

/**
 * Runs one write workflow and waits for its result. The same key with the same
 * input answers with the first run's result; with other input, 422.
 */
export async function runWrite<T extends string, S extends z.ZodType, R, K>(
  client: Client,
  request: WriteRequest<T, S, R, K>,
): Promise<WriteResult<R>> {
  const { entry, key, input } = request;
  const workflowId = entry.id(key);
  const fingerprint = createHash('sha256')
    .update(JSON.stringify(request.fingerprintOf ?? input))
    .digest('hex');
  const deadline = Date.now() + request.waitMs;
  let replayed = false;
  let handle: WorkflowHandle;
  try {
    const started = await startRun(client, request, fingerprint, deadline);
    if (started.answer) return { result: started.answer.result, workflowId, replayed };
    handle = started.handle;
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw toProblem(err, workflowId);
    replayed = true;
    handle = workflowHandle(client, entry, key);
    const { memo } = await handle.describe();
    if (memo?.requestFingerprint !== fingerprint) {
      throw new ProblemError(
        'idempotencyMismatch',
        'This key was already used for a different request; use a new Idempotency-Key.',
        { workflowId },
      );
    }
  }
  try {
    const result = (await client.withDeadline(deadline, () => handle.result())) as R;
    return { result, workflowId, replayed };
  } catch (err) {
    throw toProblem(err, workflowId);
  }
}

/**
 * Starts the run. A run whose entry answers when written is started with its `written` update
 * (Update-with-Start), which answers as soon as the write commits, before the mail or deliveries that
 * follow it (workflows/written.ts). An update that ends without an answer — the run failed first — leaves
 * the answer to the run's own outcome.
 */
async function startRun<T extends string, S extends z.ZodType, R, K>(
  client: Client,
  { entry, key, input }: WriteRequest<T, S, R, K>,
  fingerprint: string,
  deadline: number,
): Promise<{ handle: WorkflowHandle; answer?: { result: R } }> {
  const options = startOptions(entry, key, input, {
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    memo: { requestFingerprint: fingerprint },
  });
  if (!entry.answersWhenWritten) return { handle: await client.workflow.start(entry.type, options) };
  const operation = new WithStartWorkflowOperation(entry.type, {
    ...options,
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
  });
  try {
    const result = await client.withDeadline(deadline, () =>
      client.workflow.executeUpdateWithStart(writtenUpdate, { startWorkflowOperation: operation }),
    );
    return { handle: await operation.workflowHandle(), answer: { result: result as R } };
  } catch (err) {
    if (!(err instanceof WorkflowUpdateFailedError || err instanceof WorkflowUpdateRPCTimeoutOrCancelledError))
      throw err;
    return { handle: await operation.workflowHandle() };
  }
}

/** Each failure status of the vocabulary as a problem; a status added there fails to compile here until mapped. */
const problemByStatus = {
  402: 'paymentRequired',
  403: 'forbidden',
  404: 'notFound',
  409: 'conflict',
  422: 'validation',
  502: 'badGateway',
  504: 'gatewayTimeout',
} as const satisfies Record<FailureStatus, ProblemKind>;

/** A workflow's failure as the answer its request gets; a failure outside the vocabulary stays a 500. */
export function toProblem(err: unknown, workflowId: string): unknown {
  if (err instanceof WorkflowFailedError) {
    const cause = applicationFailureOf(err);
    if (cause && isFailureType(cause.type)) {
      const kind = problemByStatus[failureTypes[cause.type].status];
      return new ProblemError(kind, cause.message, {
        workflowId,
        ...(cause.details?.[0] ? { errors: cause.details[0] } : {}),
      });
    }
    return new Error(`workflow ${workflowId} failed: ${err.cause?.message ?? err.message}`, { cause: err });
  }
  if (isDeadlineExceeded(err)) {
    return new ProblemError(
      'accepted',
      'Still running. Repeat the request with the same Idempotency-Key to get its result.',
      { workflowId },
    );
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
