import {
  ActivityFailure,
  ApplicationFailure,
  ChildWorkflowFailure,
  isCancellation,
  log,
  proxyActivities,
  TemporalFailure,
  workflowInfo,
  type WorkflowInterceptors,
} from '@temporalio/workflow';
import { activityOptions } from '../config/catalogue.ts';
import { failureTypes, isFailureType } from '../config/failures.ts';
import type { DeadLetterActivities } from '../contracts/activities.ts';
import type { DeadLetterMark } from '../contracts/dead-letters.ts';
import { entryOfType } from '../contracts/workflows.ts';

const { recordDeadLetter } = proxyActivities<DeadLetterActivities>(activityOptions.deadLetterRecord);

/**
 * The one way work lands in `dead_letters`: every workflow runs through this
 * interceptor (workers/bundle.ts). A run that fails for good, or returns a
 * result its catalogue entry calls lost (`deadLetter`), records a letter on its
 * own task queue before it ends, so the letter exists within seconds of the
 * failure. Cancellation and continue-as-new are not failures; a refusal (a
 * failure type whose status is 4xx) is the answer to whoever asked, not lost work.
 */
export function interceptors(): WorkflowInterceptors {
  return {
    inbound: [
      {
        async execute(input, next) {
          let result: unknown;
          try {
            result = await next(input);
          } catch (err) {
            const failure = terminalFailure(err);
            if (failure) await record(input.args, failure);
            throw err;
          }
          const mark = entryOfType(workflowInfo().workflowType)?.deadLetter?.(result);
          if (mark) await record(input.args, mark);
          return result;
        },
      },
    ],
  };
}

function terminalFailure(err: unknown): DeadLetterMark | undefined {
  if (!(err instanceof TemporalFailure) || isCancellation(err)) return undefined;
  let cause: Error = err;
  while ((cause instanceof ActivityFailure || cause instanceof ChildWorkflowFailure) && cause.cause)
    cause = cause.cause;
  const type = cause instanceof ApplicationFailure ? (cause.type ?? 'Error') : cause.name;
  if (isFailureType(type) && failureTypes[type].status < 500) return undefined;
  return { failureType: type, message: cause.message || err.message };
}

async function record(args: unknown[], mark: DeadLetterMark): Promise<void> {
  const info = workflowInfo();
  const entry = entryOfType(info.workflowType);
  const input: unknown = args[0];
  const tags = (entry?.tags?.(input) ?? {}) as Record<string, string | number | undefined>;
  try {
    await recordDeadLetter({
      kind: entry?.kind ?? info.workflowType,
      workflowType: info.workflowType,
      taskQueue: info.taskQueue,
      workflowId: info.workflowId,
      runId: info.runId,
      namespace: info.namespace,
      ids: { ...idsIn(input), ...definedOnly(tags) },
      args,
      failureType: mark.failureType,
      failureMessage: mark.message,
      attempts: mark.attempts ?? info.attempt,
    });
  } catch (err) {
    // The run still ends as it would have; the log (and the Web UI) keep the failure.
    log.error('dead letter not recorded', { error: err instanceof Error ? err.message : String(err) });
  }
}

/** Top-level `…Id` fields of the input: the business ids a person searches by. */
function idsIn(input: unknown): Record<string, string | number> {
  if (input === null || typeof input !== 'object') return {};
  return definedOnly(
    Object.fromEntries(
      Object.entries(input).filter(
        ([name, value]) => /Id$/.test(name) && (typeof value === 'string' || typeof value === 'number'),
      ),
    ) as Record<string, string | number>,
  );
}

function definedOnly(record: Record<string, string | number | undefined>): Record<string, string | number> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as Record<
    string,
    string | number
  >;
}
