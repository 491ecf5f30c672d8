import { createInboxInput } from './inboxes.types.ts';
import { singleWrite } from './single-write.ts';

export const createInbox = singleWrite('createInbox', createInboxInput);
