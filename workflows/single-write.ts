import { proxyActivities, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { z } from 'zod';
import type { Activities } from '../activities/index.ts';
import { activityPresets } from '../config/catalogue.ts';
import { searchAttributes } from '../config/search-attributes.ts';
import { parseInput } from './validation.ts';

const activities = proxyActivities<Activities>(activityPresets.databaseWrite);

type ActivityName = keyof Activities;

/**
 * A write that is one transaction: validate the input (bad input fails at once),
 * run the activity of the same name with the workflow id as its audit key, and
 * tag the run with the account it touched.
 */
export function singleWrite<N extends ActivityName, S extends z.ZodType<{ accountId: number }>>(name: N, schema: S) {
  return async (input: z.input<S>): Promise<Awaited<ReturnType<Activities[N]>>> => {
    const command = parseInput(schema, input);
    upsertSearchAttributes([{ key: searchAttributes.accountId, value: String(command.accountId) }]);
    const run = activities[name] as unknown as (cmd: unknown) => Promise<Awaited<ReturnType<Activities[N]>>>;
    return run({ ...command, workflowId: workflowInfo().workflowId });
  };
}
