import { patched, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import { activityOptions } from '../config/catalogue.ts';
import type { CoreActivities } from '../contracts/activities.ts';
import type { MailInvitationInput } from '../contracts/members.ts';
import { workflows } from '../contracts/workflows.ts';
import { startAbandoned } from './child.ts';
import { singleWrite } from './single-write.ts';
import { answerWhenWritten } from './written.ts';

const write = proxyLocalActivities<CoreActivities>(activityOptions.databaseWrite);
const mail = proxyActivities<CoreActivities>(activityOptions.mailSend);

/** Runs recorded before this patch answered with the link itself; they replay without the mail child. */
export const INVITATION_MAIL_PATCH = 'invitation-link-by-mail';

const writeInvitation = singleWrite(workflows.inviteMember, write.inviteMember);

/**
 * Stores the invitation, then starts its mail and returns without waiting for it: the answer says the
 * invitation exists, the mail goes on retrying (relay down) as its own run, which the Web UI shows.
 */
export const inviteMember: typeof writeInvitation = async (input) => {
  const answer = answerWhenWritten<Awaited<ReturnType<typeof writeInvitation>>>();
  const invitation = answer(await writeInvitation(input));
  if (patched(INVITATION_MAIL_PATCH) && invitation.status === 'pending') {
    const entry = workflows.mailInvitation;
    const mailInput = { accountId: invitation.accountId, invitationId: invitation.id };
    await startAbandoned(entry, entry.id(mailInput), mailInput);
  }
  return invitation;
};

export async function mailInvitation(input: MailInvitationInput) {
  return mail.mailInvitation(input);
}
