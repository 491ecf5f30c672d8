import { defineQuery, defineSignal } from '@temporalio/workflow';
import { z } from 'zod';
import { actor } from './common.ts';
import { lazySchema } from './lazy.ts';

export const deployInput = lazySchema('deploys.deployInput', () =>
  z.object({
    ownerId: z.string().min(1).max(100),
    appId: z.string().min(1).max(100),
    commit: z
      .string()
      .regex(/^[0-9a-f]{4,40}$/i, 'must be a git commit id')
      .optional(),
    /** Variables to set (a string) or remove (null) before the redeploy; restored on rollback. */
    env: z
      .record(
        z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name'),
        z.string().max(10_000).nullable(),
      )
      .default({}),
    deadlineMs: z
      .number()
      .int()
      .min(1_000)
      .max(6 * 3_600_000)
      .default(30 * 60_000),
    autoRollback: z.boolean().default(true),
    pollIntervalMs: z.number().int().min(50).max(60_000).default(5_000),
    actor,
  }),
);
export type DeployInput = z.input<typeof deployInput>;
export type DeployCommand = z.output<typeof deployInput>;

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
  envChanges?: Record<string, string | null>;
  envBefore?: Record<string, string | null>;
}

/** Shared by the workflow, the API and the CLI. */
export const progressQuery = defineQuery<DeployProgress>('progress');
export const cancelSignal = defineSignal('cancel');
