import { proxyLocalActivities, workflowInfo } from '@temporalio/workflow';
import { activityOptions } from '../config/catalogue.ts';
import type { ActorActivities } from '../contracts/activities.ts';
import type { Actor } from '../contracts/common.ts';

const { checkActor } = proxyLocalActivities<ActorActivities>(activityOptions.localCheck);

/** Refuses (Forbidden) unless the actor's proof was made for this run by a client holding the installation's secret. */
export function actingFor(actor: Actor): Promise<void> {
  return checkActor({ workflowId: workflowInfo().workflowId, actor });
}
