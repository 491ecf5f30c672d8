import { z } from 'zod';
import { actor } from './common.ts';
import { lazySchema } from './lazy.ts';

/**
 * What a catalogue entry says about a result that "succeeded" yet is lost work
 * (a delivery marked dead, a failed deploy): the dead-letter interceptor records
 * it like a thrown failure.
 */
export interface DeadLetterMark {
  failureType: string;
  message: string;
  attempts?: number;
}

/** A run that ended for good, as the interceptor hands it to `recordDeadLetter`. */
export interface DeadLetterRecord {
  kind: string;
  workflowType: string;
  taskQueue: string;
  workflowId: string;
  runId: string;
  namespace: string;
  /** The business ids the input names (account, app, webhook, delivery…). */
  ids: Record<string, string | number>;
  /** The workflow's arguments: sealed by the payload codec before they are stored, redacted for reading. */
  args: unknown[];
  failureType: string;
  failureMessage: string;
  attempts: number;
}

const letterId = lazySchema('dead-letters.letterId', () => z.number().int().positive());
const reason = lazySchema('dead-letters.reason', () => z.string().trim().min(1).max(500));

export const deadLetterFilter = lazySchema('dead-letters.deadLetterFilter', () =>
  z.object({
    kind: z.string().min(1).max(100).optional(),
    accountId: z.number().int().positive().optional(),
    since: z.iso.datetime({ offset: true }).optional(),
    until: z.iso.datetime({ offset: true }).optional(),
    /** Full-text search over the failure type, message, workflow id and kind. */
    q: z.string().trim().min(1).max(200).optional(),
  }),
);
export type DeadLetterFilter = z.infer<typeof deadLetterFilter>;

export const retryDeadLetterInput = lazySchema('dead-letters.retryDeadLetterInput', () =>
  z.object({ letterId, actor }),
);
export const retryDeadLettersInput = lazySchema('dead-letters.retryDeadLettersInput', () =>
  z.object({ filter: deadLetterFilter, actor }),
);
export const discardDeadLetterInput = lazySchema('dead-letters.discardDeadLetterInput', () =>
  z.object({ letterId, reason, actor }),
);
/** The actor is the schedule's, signed by the schedule registry (workers/schedules.ts); runs from before it had none. */
export const purgeDeadLettersInput = lazySchema('dead-letters.purgeDeadLettersInput', () =>
  z.object({ retentionDays: z.number().int().min(1).max(3650), actor: actor.optional() }),
);

export type RetryDeadLetterInput = z.infer<typeof retryDeadLetterInput>;
export type DiscardDeadLetterInput = z.infer<typeof discardDeadLetterInput>;

/** Where a retried letter's new run is; `runId` is null for a moment while another retry starts it. */
export interface RetriedLetter {
  letterId: number;
  workflowId: string;
  runId: string | null;
  /** False when an earlier retry had already started the run. */
  started: boolean;
}

export interface BulkRetryResult {
  retried: RetriedLetter[];
  /** Matching letters beyond this request's batch: ask again. */
  remaining: number;
}

export type RetryClaim =
  | { outcome: 'claimed'; workflowType: string; workflowId: string; args: unknown[] }
  | { outcome: 'already'; workflowId: string; runId: string | null };

export interface DiscardedLetter {
  letterId: number;
  status: 'discarded';
  changed: boolean;
}
