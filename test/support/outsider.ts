/** Someone who reaches the Temporal frontend (even with the payload keys) but holds no actor secret. */
import { Client, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { expect } from 'vitest';
import type { TestStack } from './stack.ts';

/** A client on the stack's Temporal with its data converter (payload keys), without the API's signing interceptor. */
export const outsider = (stack: TestStack): Client =>
  new Client({
    connection: stack.temporal.connection,
    namespace: stack.namespace,
    dataConverter: stack.temporal.options.dataConverter,
  });

/** The first argument a run was started with, read from its history as anyone with the payload keys can. */
export async function startedInputOf(stack: TestStack, workflowId: string, runId?: string): Promise<unknown> {
  const handle = outsider(stack).workflow.getHandle(workflowId, runId);
  const history = await handle.fetchHistory();
  const payloads = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
  const { payloadCodecs = [], payloadConverter } = stack.temporal.options.loadedDataConverter;
  let decoded = payloads;
  for (const codec of [...payloadCodecs].reverse()) decoded = await codec.decode(decoded);
  return payloadConverter.fromPayload(decoded[0]!);
}

/** The ApplicationFailure a run failed with; fails the test when the run did not fail. */
export async function failureOf(run: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowFailedError);
  let cause = (err as WorkflowFailedError).cause;
  while (cause && !(cause instanceof ApplicationFailure)) cause = cause.cause as Error | undefined;
  return cause as ApplicationFailure;
}
