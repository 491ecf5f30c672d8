import { z } from 'zod';
import { actor } from './common.ts';
import { lazySchema } from './lazy.ts';

/** The proof-nonce schedule's input: its actor is the schedule's, signed by the registry (workers/schedules.ts). */
export const pruneProofNoncesInput = lazySchema('proofs.pruneProofNoncesInput', () =>
  z.object({ batch: z.number().int().min(1).max(10_000).default(1000), actor: actor.optional() }),
);
