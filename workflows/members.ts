import { proxyLocalActivities } from '@temporalio/workflow';
import { activityOptions } from '../config/catalogue.ts';
import type { CoreActivities } from '../contracts/activities.ts';
import { workflows } from '../contracts/workflows.ts';
import { singleWrite } from './single-write.ts';

const a = proxyLocalActivities<CoreActivities>(activityOptions.databaseWrite);

/** Membership and token writes: each one transaction, each its own workflow type in the Web UI. */
export const addMember = singleWrite(workflows.addMember, a.addMember);
export const changeRole = singleWrite(workflows.changeRole, a.changeRole);
export const removeMember = singleWrite(workflows.removeMember, a.removeMember);
export const createAccessToken = singleWrite(workflows.createAccessToken, a.createAccessToken);
export const revokeAccessToken = singleWrite(workflows.revokeAccessToken, a.revokeAccessToken);
export const revokeInvitation = singleWrite(workflows.revokeInvitation, a.revokeInvitation);
export const acceptInvitation = singleWrite(workflows.acceptInvitation, a.acceptInvitation);
export const createBot = singleWrite(workflows.createBot, a.createBot);
