import { z } from 'zod';
import { actor } from './common.ts';
import { lazySchema } from './lazy.ts';

/** The tables a `pruneRetained` schedule prunes (db/retention.ts says which rows; dead letters keep their own schedule). */
export const retainedTable = lazySchema('retention.retainedTable', () =>
  z.enum(['webhook_deliveries', 'audit_log', 'licence_heartbeats']),
);
export type RetainedTable = z.infer<typeof retainedTable>;

/**
 * One retention schedule's input: rows older than `retentionDays` go, `batch` at a time; `null` keeps every
 * row (the audit log's default). Its actor is the schedule's, signed by the registry (workers/schedules.ts).
 */
export const pruneRetainedInput = lazySchema('retention.pruneRetainedInput', () =>
  z.object({
    target: retainedTable,
    retentionDays: z.number().int().min(1).max(36_500).nullable(),
    batch: z.number().int().min(1).max(10_000).default(1000),
    actor: actor.optional(),
  }),
);

export interface PrunedRows {
  target: RetainedTable;
  deleted: number;
  /** Rows older than this went; null when the target keeps every row. */
  before: string | null;
  /** Days no retention goes below: Temporal's namespace retention and a day (docs/scale.md). */
  floorDays: number | null;
}
