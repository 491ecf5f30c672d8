import { proxyLocalActivities } from '@temporalio/workflow';
import { activityOptions } from '../config/catalogue.ts';
import type { AdminActivities } from '../contracts/activities.ts';
import { workflows } from '../contracts/workflows.ts';
import { singleWrite } from './single-write.ts';

const a = proxyLocalActivities<AdminActivities>(activityOptions.databaseWrite);

/** The grantee turns their grant in force into its one break-glass token (only its hash reaches this run). */
export const activateBreakGlass = singleWrite(workflows.activateBreakGlass, a.activateBreakGlass);

/** An operator keeps one thing a grantee made, so it outlives the grant. */
export const keepGrantEffect = singleWrite(workflows.keepGrantEffect, a.keepGrantEffect);
