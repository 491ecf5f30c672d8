import { z } from 'zod';
import { actor } from './common.ts';
import { lazySchema } from './lazy.ts';

/** An operator's change to one of the schedules Capstan owns (workers/schedules.ts); audited with its reason. */
export const scheduleOperation = lazySchema('schedules.scheduleOperation', () =>
  z.enum(['pause', 'unpause', 'trigger', 'backfill']),
);
export const operateScheduleInput = lazySchema('schedules.operateScheduleInput', () =>
  z.object({
    scheduleId: z.string().min(1).max(200),
    operation: scheduleOperation,
    reason: z.string().trim().min(1).max(500).optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    actor,
  }),
);
export type OperateScheduleInput = z.infer<typeof operateScheduleInput>;

export interface ScheduleOperated {
  scheduleId: string;
  operation: z.infer<typeof scheduleOperation>;
}
