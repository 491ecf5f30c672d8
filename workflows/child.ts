import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ParentClosePolicy, startChild, type ChildWorkflowOptions } from '@temporalio/workflow';
import type { z } from 'zod';
import { detailsOf, searchAttributesOf, summaryOf, type WorkflowEntry } from '../contracts/workflows.ts';

/**
 * A child's start options from its catalogue entry, as workers/start.ts makes a client's: queue,
 * timeout, search attributes and the Web UI's summary and details. The id comes from the entry's
 * scheme (`entry.id(key)`) or, for a run started again, from the run itself.
 */
export function childOptions<T extends string, S extends z.ZodType, R, K>(
  entry: WorkflowEntry<T, S, R, K>,
  workflowId: string,
  input: z.input<S>,
  extras: Omit<ChildWorkflowOptions, 'workflowId' | 'taskQueue' | 'args' | 'typedSearchAttributes'> = {},
): ChildWorkflowOptions & { workflowId: string; args: [z.input<S>] } {
  return {
    workflowId,
    taskQueue: entry.taskQueue,
    args: [input],
    typedSearchAttributes: searchAttributesOf(entry, input),
    staticSummary: summaryOf(entry, input),
    staticDetails: detailsOf(entry, input),
    ...(entry.executionTimeout && { workflowExecutionTimeout: entry.executionTimeout }),
    ...extras,
  };
}

/**
 * Starts a child the parent does not wait for (ABANDON: it outlives the parent's close) and returns once it has
 * started. An id already started — a replayed step, the same id from an earlier run — is fine.
 */
export async function startAbandoned<T extends string, S extends z.ZodType, R, K>(
  entry: WorkflowEntry<T, S, R, K>,
  workflowId: string,
  input: z.input<S>,
): Promise<void> {
  try {
    await startChild(
      entry.type,
      childOptions(entry, workflowId, input, { parentClosePolicy: ParentClosePolicy.ABANDON }),
    );
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}
