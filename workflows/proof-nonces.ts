import { proxyLocalActivities } from '@temporalio/workflow';
import { activityOptions } from '../config/catalogue.ts';
import type { CoreActivities } from '../contracts/activities.ts';
import { workflows, type WorkflowInput } from '../contracts/workflows.ts';
import { actingFor } from './acting-for.ts';
import { parseInput } from './validation.ts';

const { pruneProofNonces: pruneBatch } = proxyLocalActivities<CoreActivities>(activityOptions.databaseWrite);
/** Batches one run deletes at most: a backlog is worked off over the next runs, each transaction stays short. */
const MAX_BATCHES = 50;

/** Started by the `proof-nonces` schedule: deletes spent nonces whose proofs are past their age, a batch at a time. */
export async function pruneProofNonces(
  input: WorkflowInput<typeof workflows.pruneProofNonces>,
): Promise<{ deleted: number }> {
  const { batch, actor } = parseInput(workflows.pruneProofNonces.input, input);
  await actingFor(input, actor);
  let deleted = 0;
  for (let i = 0; i < MAX_BATCHES; i++) {
    const n = await pruneBatch({ batch });
    deleted += n;
    if (n < batch) break;
  }
  return { deleted };
}
