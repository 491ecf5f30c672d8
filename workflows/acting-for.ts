import { patched, proxyLocalActivities, workflowInfo } from '@temporalio/workflow';
import { activityOptions } from '../config/catalogue.ts';
import type { ActorActivities, Vouched } from '../contracts/activities.ts';
import type { Actor } from '../contracts/common.ts';

const { checkActor, spendProof } = proxyLocalActivities<ActorActivities>(activityOptions.localCheck);

/**
 * Runs recorded before it checked the actor in a local activity of its own, then wrote; with it the
 * write checks the proof itself, one local activity fewer (docs/upgrading-workflows.md).
 */
export const PROOF_PATCH = 'proof-binds-command';

/**
 * The run's first write, vouched for: handed the input the run was started with, the write checks that
 * the actor's proof was made for this type, id and input, and spends the proof's nonce in its own
 * transaction (activities/proofs.ts). Refused (Forbidden, final) before anything is written otherwise.
 */
export async function vouchedWrite<C extends object, R>(
  started: unknown,
  actor: Actor,
  write: (cmd: Vouched<C>) => Promise<R>,
  cmd: C,
): Promise<R> {
  if (patched(PROOF_PATCH)) return write({ ...cmd, vouch: { input: started } });
  await checkActor({ workflowId: workflowInfo().workflowId, actor });
  return write(cmd);
}

/**
 * The same check for a run whose first act is not one of our writes (a deploy, a build, a purge): a
 * local activity of its own. A run without an actor is refused, unless its history predates the check.
 */
export async function actingFor(started: unknown, actor: Actor | undefined): Promise<void> {
  if (patched(PROOF_PATCH)) return spendProof({ started });
  if (actor) await checkActor({ workflowId: workflowInfo().workflowId, actor });
}
