import {
  ActivityFailure,
  ApplicationFailure,
  ParentClosePolicy,
  proxyLocalActivities,
  setCurrentDetails,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { activityOptions } from '../config/catalogue.ts';
import { failure } from '../config/failures.ts';
import type { CoreActivities } from '../contracts/activities.ts';
import type { Actor } from '../contracts/common.ts';
import type { BulkRetryResult, RetriedLetter } from '../contracts/dead-letters.ts';
import { entryOfType, workflows, type WorkflowInput } from '../contracts/workflows.ts';
import { childOptions } from './child.ts';
import { actingFor } from './acting-for.ts';
import { singleWrite } from './single-write.ts';
import { parseInput } from './validation.ts';

const a = proxyLocalActivities<CoreActivities>(activityOptions.databaseWrite);
/** Letters one bulk request retries; the answer says how many more match. */
const BULK_BATCH = 200;
const PARALLEL = 10;

/**
 * Starts the failed workflow again under its own id with its original input, so
 * business keys hold (a delivery keeps its delivery id). The letter is claimed
 * first: however many retries race, one run starts and the others point to it.
 */
async function retryOne(letterId: number, actor: Actor): Promise<RetriedLetter> {
  const { workflowId, runId } = workflowInfo();
  const claimer = `${workflowId}/${runId}`;
  const claim = await a.claimDeadLetterRetry({ letterId, claimer, actor });
  if (claim.outcome === 'already')
    return { letterId, workflowId: claim.workflowId, runId: claim.runId, started: false };
  const entry = entryOfType(claim.workflowType);
  if (!entry) {
    await a.releaseDeadLetter({ letterId, claimer });
    throw failure('Conflict', `Workflow type ${claim.workflowType} is no longer run by Capstan.`);
  }
  const input: unknown = claim.args[0];
  let child;
  try {
    // The args as the failed run recorded them: its input and anything after it.
    child = await startChild(entry.type, {
      ...childOptions(entry, claim.workflowId, input as never, { parentClosePolicy: ParentClosePolicy.ABANDON }),
      args: claim.args,
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    await a.releaseDeadLetter({ letterId, claimer });
    throw failure('Conflict', `${claim.workflowId} is running now; retry the letter once it ends.`);
  }
  await a.markDeadLetterRetried({ letterId, workflowId: child.workflowId, runId: child.firstExecutionRunId });
  return { letterId, workflowId: child.workflowId, runId: child.firstExecutionRunId, started: true };
}

export async function retryDeadLetter(input: WorkflowInput<typeof workflows.retryDeadLetter>): Promise<RetriedLetter> {
  const { letterId, actor } = parseInput(workflows.retryDeadLetter.input, input);
  await actingFor(input, actor);
  return retryOne(letterId, actor);
}

/** Retries the open letters matching a filter when it starts; one discarded or retried meanwhile is left out. */
export async function retryDeadLetters(
  input: WorkflowInput<typeof workflows.retryDeadLetters>,
): Promise<BulkRetryResult> {
  const { filter, actor } = parseInput(workflows.retryDeadLetters.input, input);
  await actingFor(input, actor);
  const { ids, total } = await a.matchingDeadLetters({ filter, limit: BULK_BATCH });
  const retried: RetriedLetter[] = [];
  for (let i = 0; i < ids.length; i += PARALLEL) {
    setCurrentDetails(`Retrying dead letters: **${retried.length}** of ${ids.length} done`);
    const batch = await Promise.all(ids.slice(i, i + PARALLEL).map((id) => retryOne(id, actor).catch(skipGone)));
    retried.push(...batch.filter((r): r is RetriedLetter => r !== undefined));
  }
  setCurrentDetails(`Retried **${retried.length}** dead letters`);
  return { retried, remaining: Math.max(0, total - ids.length) };
}

/** A letter discarded (or its workflow running again) since the filter matched is not this request's to retry. */
function skipGone(err: unknown): undefined {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure && (cause.type === 'Conflict' || cause.type === 'NotFound')) return undefined;
  throw err;
}

export const discardDeadLetter = singleWrite(workflows.discardDeadLetter, a.discardDeadLetter);

/** Retention, started by the `dead-letter-retention` schedule, whose input the schedule registry signs. */
export async function purgeDeadLetters(
  input: WorkflowInput<typeof workflows.purgeDeadLetters>,
): Promise<{ deleted: number }> {
  const { retentionDays, actor } = parseInput(workflows.purgeDeadLetters.input, input);
  await actingFor(input, actor);
  return a.purgeDeadLetters({ retentionDays });
}
