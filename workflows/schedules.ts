import { proxyActivities } from '@temporalio/workflow';
import { activityOptions } from '../config/catalogue.ts';
import type { CoreActivities } from '../contracts/activities.ts';
import { workflows } from '../contracts/workflows.ts';
import { singleWrite } from './single-write.ts';

const { operateSchedule: operate } = proxyActivities<CoreActivities>(activityOptions.scheduleOperation);

/** An operator's pause, unpause, trigger or backfill of a schedule Capstan owns, audited with its reason. */
export const operateSchedule = singleWrite(workflows.operateSchedule, operate);
