import { proxyLocalActivities, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { activityOptions } from '../config/catalogue.ts';
import { searchAttributes } from '../config/search-attributes.ts';
import type { ProvisionAccountInput, ProvisionAccountResult } from '../contracts/accounts.ts';
import type { CoreActivities } from '../contracts/activities.ts';
import { workflows } from '../contracts/workflows.ts';
import { vouchedWrite } from './acting-for.ts';
import { parseInput } from './validation.ts';

const { createAccountWithAdmin } = proxyLocalActivities<CoreActivities>(activityOptions.databaseWrite);

/** Creates an account, its first administrator, the membership and a token, in one transaction. */
export async function provisionAccount(input: ProvisionAccountInput): Promise<ProvisionAccountResult> {
  const command = parseInput(workflows.provisionAccount.input, input);
  const result = await vouchedWrite(input, command.actor, createAccountWithAdmin, {
    ...command,
    workflowId: workflowInfo().workflowId,
  });
  upsertSearchAttributes([
    { key: searchAttributes.accountId, value: String(result.account.id) },
    { key: searchAttributes.userId, value: String(result.admin.id) },
  ]);
  return result;
}
