import { proxyLocalActivities } from '@temporalio/workflow';
import { activityOptions } from '../config/catalogue.ts';
import type { CoreActivities } from '../contracts/activities.ts';
import { workflows } from '../contracts/workflows.ts';
import { singleWrite } from './single-write.ts';

const a = proxyLocalActivities<CoreActivities>(activityOptions.databaseWrite);

/** An operator's reset of a circuit breaker, audited. */
export const resetBreaker = singleWrite(workflows.resetBreaker, a.resetBreaker);
