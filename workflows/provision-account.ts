import { proxyActivities, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type * as activities from '../activities/index.ts';
import { activityPresets } from '../config/catalogue.ts';
import { searchAttributes } from '../config/search-attributes.ts';
import { provisionAccountInput, type ProvisionAccountInput, type ProvisionAccountResult } from './provision-account.types.ts';
import { parseInput } from './validation.ts';

const { createAccountWithAdmin } = proxyActivities<ReturnType<typeof activities.createActivities>>(
  activityPresets.databaseWrite,
);

/** Creates an account, its first administrator, the membership and a token, in one transaction. */
export async function provisionAccount(input: ProvisionAccountInput): Promise<ProvisionAccountResult> {
  const command = parseInput(provisionAccountInput, input);
  const result = await createAccountWithAdmin({ ...command, workflowId: workflowInfo().workflowId });
  upsertSearchAttributes([
    { key: searchAttributes.accountId, value: String(result.account.id) },
    { key: searchAttributes.userId, value: String(result.admin.id) },
  ]);
  return result;
}
