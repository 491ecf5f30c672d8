import { proxyLocalActivities } from '@temporalio/workflow';
import { activityOptions } from '../config/catalogue.ts';
import type { CoreActivities } from '../contracts/activities.ts';
import { workflows } from '../contracts/workflows.ts';
import { singleWrite } from './single-write.ts';

const a = proxyLocalActivities<CoreActivities>(activityOptions.databaseWrite);

export const createWebhook = singleWrite(workflows.createWebhook, a.createWebhook);
export const updateWebhook = singleWrite(workflows.updateWebhook, a.updateWebhook);
export const deleteWebhook = singleWrite(workflows.deleteWebhook, a.deleteWebhook);
