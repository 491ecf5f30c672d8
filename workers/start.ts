import type {
  Client,
  WorkflowHandle,
  WorkflowHandleWithFirstExecutionRunId,
  WorkflowStartOptions,
} from '@temporalio/client';
import type { z } from 'zod';
import { detailsOf, searchAttributesOf, summaryOf, type WorkflowEntry } from '../contracts/workflows.ts';

/** Options beyond what the catalogue entry fixes. */
export type StartExtras = Omit<
  WorkflowStartOptions,
  'workflowId' | 'taskQueue' | 'args' | 'typedSearchAttributes' | 'searchAttributes'
>;

type Fn<S extends z.ZodType, R> = (input: z.input<S>) => Promise<R>;

/** Start options for a catalogue entry: its queue, id scheme, timeout, search attributes and Web UI summary. */
export function startOptions<T extends string, S extends z.ZodType, R, K>(
  entry: WorkflowEntry<T, S, R, K>,
  key: K,
  input: z.input<S>,
  extras: StartExtras = {},
): WorkflowStartOptions<Fn<S, R>> {
  return {
    workflowId: entry.id(key),
    taskQueue: entry.taskQueue,
    args: [input],
    typedSearchAttributes: searchAttributesOf(entry, input),
    staticSummary: summaryOf(entry, input),
    staticDetails: detailsOf(entry, input),
    ...(entry.executionTimeout && { workflowExecutionTimeout: entry.executionTimeout }),
    ...extras,
  };
}

export function startWorkflow<T extends string, S extends z.ZodType, R, K>(
  client: Client,
  entry: WorkflowEntry<T, S, R, K>,
  key: K,
  input: z.input<S>,
  extras?: StartExtras,
): Promise<WorkflowHandleWithFirstExecutionRunId<Fn<S, R>>> {
  return client.workflow.start<Fn<S, R>>(entry.type, startOptions(entry, key, input, extras));
}

export function executeWorkflow<T extends string, S extends z.ZodType, R, K>(
  client: Client,
  entry: WorkflowEntry<T, S, R, K>,
  key: K,
  input: z.input<S>,
  extras?: StartExtras,
): Promise<R> {
  return client.workflow.execute<Fn<S, R>>(entry.type, startOptions(entry, key, input, extras));
}

/** The latest run of the id an entry's key names. */
export function workflowHandle<T extends string, S extends z.ZodType, R, K>(
  client: Client,
  entry: WorkflowEntry<T, S, R, K>,
  key: K,
): WorkflowHandle<Fn<S, R>> {
  return client.workflow.getHandle<Fn<S, R>>(entry.id(key));
}
