import { proxyLocalActivities } from '@temporalio/workflow';
import { activityOptions } from '../config/catalogue.ts';
import type { CoreActivities } from '../contracts/activities.ts';
import { workflows } from '../contracts/workflows.ts';
import { writeWithEvents } from './outbox.ts';
import { singleWrite } from './single-write.ts';

const a = proxyLocalActivities<CoreActivities>(activityOptions.databaseWrite);

export const createContact = writeWithEvents(workflows.createContact, a.createContact);
export const updateContact = writeWithEvents(workflows.updateContact, a.updateContact);
export const deleteContact = singleWrite(workflows.deleteContact, a.deleteContact);
export const mergeContacts = writeWithEvents(workflows.mergeContacts, a.mergeContacts);
