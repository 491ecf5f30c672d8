import { patched, proxyLocalActivities, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { activityOptions } from '../config/catalogue.ts';
import { searchAttributes } from '../config/search-attributes.ts';
import type { ProvisionAccountInput, ProvisionAccountResult } from '../contracts/accounts.ts';
import type { CoreActivities } from '../contracts/activities.ts';
import { workflows } from '../contracts/workflows.ts';
import { vouchedWrite } from './acting-for.ts';
import { SIGN_IN_LINK_MAIL_PATCH, startSignInLinkMail } from './sign-in-links.ts';
import { parseInput } from './validation.ts';
import { answerWhenWritten } from './written.ts';

const { createAccountWithAdmin } = proxyLocalActivities<CoreActivities>(activityOptions.databaseWrite);

/**
 * Creates an account, its first administrator, the membership and a sign-in link, in one transaction; then the
 * link's mail to the administrator's address (`signInLinkId`: set only for a link whose hash the run did not carry).
 */
export async function provisionAccount(input: ProvisionAccountInput): Promise<ProvisionAccountResult> {
  const answer = answerWhenWritten<ProvisionAccountResult>();
  const command = parseInput(workflows.provisionAccount.input, input);
  const result = await vouchedWrite(input, command.actor, createAccountWithAdmin, {
    ...command,
    workflowId: workflowInfo().workflowId,
  });
  upsertSearchAttributes([
    { key: searchAttributes.accountId, value: String(result.account.id) },
    { key: searchAttributes.userId, value: String(result.admin.id) },
  ]);
  answer(result);
  if (patched(SIGN_IN_LINK_MAIL_PATCH) && result.signInLinkId !== undefined)
    await startSignInLinkMail(result.signInLinkId);
  return result;
}
