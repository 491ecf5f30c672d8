import { z } from 'zod';
import { actor } from './common.ts';
import { lazySchema } from './lazy.ts';

export type HeartbeatOutcome =
  | { outcome: 'skipped'; reason: string }
  | { outcome: 'confirmed'; serverStatus: 'active' | 'suspended' | 'revoked'; httpStatus: number; refreshed: boolean };

/** `retry: false` is an operator's "heartbeat now": the first attempt's outcome, no retries. */
/** The actor is the schedule's (signed by workers/schedules.ts) or the platform app's that asked; runs from before had none. */
export const licenceHeartbeatInput = lazySchema('licence.licenceHeartbeatInput', () =>
  z.object({ retry: z.boolean().optional(), actor: actor.optional() }).default({}),
);

export interface HeartbeatResult {
  heartbeat: HeartbeatOutcome | { outcome: 'failed'; error: string };
  status: string;
  features: string[];
}

export const reconcileInput = lazySchema('licence.reconcileInput', () => z.object({}).default({}));

export interface ReconcileResult {
  status: string;
  features: string[];
  accountsChanged: number;
}
