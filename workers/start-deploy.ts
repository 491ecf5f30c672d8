import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { DeployInput } from '../contracts/deploys.ts';
import { workflows } from '../contracts/workflows.ts';
import { startWorkflow, workflowHandle } from './start.ts';

export type DeployStart =
  | { outcome: 'started'; workflowId: string; runId: string }
  | { outcome: 'already_running'; workflowId: string; runId: string };

/** Starts a deploy, one per application: the API and the CLI both come here. */
export async function startDeploy(client: Client, input: DeployInput): Promise<DeployStart> {
  const key = { ownerId: input.ownerId, appId: input.appId };
  try {
    const handle = await startWorkflow(client, workflows.deployApplication, key, input);
    return { outcome: 'started', workflowId: handle.workflowId, runId: handle.firstExecutionRunId };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    const running = await workflowHandle(client, workflows.deployApplication, key).describe();
    return { outcome: 'already_running', workflowId: running.workflowId, runId: running.runId };
  }
}
