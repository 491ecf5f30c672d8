import { setCurrentDetails } from '@temporalio/workflow';
import type { DeployProgress } from '../../contracts/deploys.ts';

const phaseWords: Record<DeployProgress['phase'], string> = {
  reading: 'Reading the application',
  redeploying: 'Starting the redeploy',
  following: 'Following the deployment',
  cancelling: 'Cancelling the deployment',
  rolling_back: 'Rolling back',
  done: 'Finished',
};

/** Where the deploy is, for the Web UI's "current details", without a query. Called after each change. */
export function showProgress(progress: DeployProgress): void {
  const rows = [
    `**${phaseWords[progress.phase]}**`,
    progress.commit && `Commit: \`${progress.commit}\``,
    progress.deploymentId && `Deployment: ${progress.deploymentId}${progress.state ? ` (${progress.state})` : ''}`,
    progress.rollbackCommit && `Rolling back to: \`${progress.rollbackCommit}\``,
  ];
  setCurrentDetails(rows.filter(Boolean).join('  \n'));
}
