import { defineQuery, defineSignal } from '@temporalio/workflow';
import { z } from 'zod';

export const deployInput = z.object({
  ownerId: z.string().min(1).max(100),
  appId: z.string().min(1).max(100),
  commit: z.string().regex(/^[0-9a-f]{4,40}$/i, 'must be a git commit id').optional(),
  deadlineMs: z.number().int().min(1_000).max(6 * 3_600_000).default(30 * 60_000),
  autoRollback: z.boolean().default(true),
  pollIntervalMs: z.number().int().min(50).max(60_000).default(5_000),
  requestedBy: z.string().min(1).max(200),
});
export type DeployInput = z.input<typeof deployInput>;

export type DeployPhase = 'reading' | 'redeploying' | 'following' | 'cancelling' | 'rolling_back' | 'done';

export interface DeployProgress {
  phase: DeployPhase;
  commit: string | null;
  deploymentId: string | null;
  state: string | null;
  startedAt: number;
  elapsedMs: number;
  timeLeftMs: number;
  rollbackCommit: string | null;
}

export interface DeployOutcome {
  status: 'succeeded' | 'failed' | 'rolled_back' | 'cancelled' | 'timed_out';
  commit: string;
  deploymentId: string | null;
  rollback?: { commit: string; deploymentId: string | null; state: string };
}

export interface AttemptRef {
  attemptKey: string;
  workflowId: string;
  ownerId: string;
  appId: string;
  commit: string;
  requestedBy: string;
  rollbackOf?: string;
}

/** Shared by the workflow, the API and the CLI. */
export const progressQuery = defineQuery<DeployProgress>('progress');
export const cancelSignal = defineSignal('cancel');
