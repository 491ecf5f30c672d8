import {
  getExternalWorkflowHandle,
  patched,
  proxyLocalActivities,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { activityOptions } from '../config/catalogue.ts';
import { searchAttributes } from '../config/search-attributes.ts';
import type { AdminActivities } from '../contracts/activities.ts';
import {
  grantChangedSignal,
  type ExtendPromotionInput,
  type ForceResetInput,
  type ForceResetResult,
  type Promotion,
  type RevokePromotionInput,
} from '../contracts/admin.ts';
import { workflows } from '../contracts/workflows.ts';
import { vouchedWrite } from './acting-for.ts';
import { singleWrite } from './single-write.ts';
import { parseInput } from './validation.ts';

const a = proxyLocalActivities<AdminActivities>(activityOptions.databaseWrite);

/** Ends a break-glass grant now; its holder is told and finishes. */
export async function revokePromotion(input: RevokePromotionInput): Promise<Promotion> {
  const cmd = parseInput(workflows.revokePromotion.input, input);
  const grant = await vouchedWrite(input, cmd.actor, a.revokeSuperAdmin, {
    ...cmd,
    workflowId: workflowInfo().workflowId,
  });
  tagUser(grant.userId);
  await tellHolder(grant.workflowId);
  return grant;
}

/** Moves a grant's expiry later; its holder re-arms its timer. */
export async function extendPromotion(input: ExtendPromotionInput): Promise<Promotion> {
  const cmd = parseInput(workflows.extendPromotion.input, input);
  const grant = await vouchedWrite(input, cmd.actor, a.extendSuperAdmin, {
    ...cmd,
    workflowId: workflowInfo().workflowId,
  });
  tagUser(grant.userId);
  await tellHolder(grant.workflowId);
  return grant;
}

export async function forceReset(input: ForceResetInput): Promise<ForceResetResult> {
  const cmd = parseInput(workflows.forceReset.input, input);
  const { holderWorkflowId, ...result } = await vouchedWrite(input, cmd.actor, a.forceReset, {
    ...cmd,
    workflowId: workflowInfo().workflowId,
  });
  tagUser(result.userId);
  if (holderWorkflowId) await tellHolder(holderWorkflowId);
  return result;
}

export const debugAuth = singleWrite(workflows.debugAuth, a.diagnoseToken);

/**
 * Found under the user in the Web UI (`CapstanUserId`), like the promotion itself: the input names only an email.
 * A new command, added after runs existed: runs recorded before it replay without it (docs/upgrading-workflows.md).
 */
function tagUser(userId: number): void {
  if (patched('triage-tags-user')) upsertSearchAttributes([{ key: searchAttributes.userId, value: String(userId) }]);
}

/** The holder re-reads the row; when it has already finished there is no one to tell. */
async function tellHolder(workflowId: string): Promise<void> {
  try {
    await getExternalWorkflowHandle(workflowId).signal(grantChangedSignal);
  } catch {
    // the holder ended (expired or finished): the row is the truth either way
  }
}
