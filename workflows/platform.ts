import { proxyLocalActivities } from '@temporalio/workflow';
import { activityOptions } from '../config/catalogue.ts';
import type { CoreActivities } from '../contracts/activities.ts';
import { workflows } from '../contracts/workflows.ts';
import { singleWrite } from './single-write.ts';

const a = proxyLocalActivities<CoreActivities>(activityOptions.databaseWrite);

/** The platform's own writes: its tokens and its tenants' status. */
export const createPlatformToken = singleWrite(workflows.createPlatformToken, a.createPlatformToken);
export const rotatePlatformToken = singleWrite(workflows.rotatePlatformToken, a.rotatePlatformToken);
export const revokePlatformToken = singleWrite(workflows.revokePlatformToken, a.revokePlatformToken);
export const setAccountStatus = singleWrite(workflows.setAccountStatus, a.setAccountStatus);
