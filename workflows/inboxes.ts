import { proxyLocalActivities } from '@temporalio/workflow';
import { activityOptions } from '../config/catalogue.ts';
import type { CoreActivities } from '../contracts/activities.ts';
import { workflows } from '../contracts/workflows.ts';
import { singleWrite } from './single-write.ts';

const a = proxyLocalActivities<CoreActivities>(activityOptions.databaseWrite);

export const createInbox = singleWrite(workflows.createInbox, a.createInbox);
export const rotateInboxSecret = singleWrite(workflows.rotateInboxSecret, a.rotateInboxSecret);
export const updateInbox = singleWrite(workflows.updateInbox, a.updateInbox);
