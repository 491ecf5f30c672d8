import { upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { z } from 'zod';
import type { Run, Vouched } from '../contracts/activities.ts';
import type { Actor } from '../contracts/common.ts';
import type { WorkflowEntry } from '../contracts/workflows.ts';
import { searchAttributes } from '../config/search-attributes.ts';
import { vouchedWrite } from './acting-for.ts';
import { parseInput } from './validation.ts';

/**
 * A write that is one transaction: validate the input (bad input fails at once), run its activity
 * with the workflow id as the audit key (it checks the actor's proof first, see vouchedWrite), and tag the run with
 * the account it touched (also when started by hand, without search attributes).
 */
export function singleWrite<S extends z.ZodType<{ accountId?: number; actor: Actor }>, R>(
  entry: WorkflowEntry<string, S, R, never>,
  activity: (cmd: Vouched<Run<z.output<S>>>) => Promise<R>,
): (input: z.input<S>) => Promise<R> {
  return async (input) => {
    const command = parseInput(entry.input, input);
    if (command.accountId !== undefined)
      upsertSearchAttributes([{ key: searchAttributes.accountId, value: String(command.accountId) }]);
    return vouchedWrite(input, command.actor, activity, { ...command, workflowId: workflowInfo().workflowId });
  };
}
