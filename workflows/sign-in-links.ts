import { proxyLocalActivities } from '@temporalio/workflow';
import { activityOptions } from '../config/catalogue.ts';
import type { CoreActivities } from '../contracts/activities.ts';
import { workflows } from '../contracts/workflows.ts';
import { singleWrite } from './single-write.ts';

const a = proxyLocalActivities<CoreActivities>(activityOptions.databaseWrite);

/** One-time sign-in links: each step one transaction, audited. */
export const issueSignInLink = singleWrite(workflows.issueSignInLink, a.issueSignInLink);
export const redeemSignInLink = singleWrite(workflows.redeemSignInLink, a.redeemSignInLink);
