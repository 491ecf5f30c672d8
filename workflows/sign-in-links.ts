import { patched, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import { activityOptions } from '../config/catalogue.ts';
import type { CoreActivities } from '../contracts/activities.ts';
import type { MailSignInLinkInput } from '../contracts/sign-in-links.ts';
import { workflows } from '../contracts/workflows.ts';
import { startAbandoned } from './child.ts';
import { singleWrite } from './single-write.ts';
import { answerWhenWritten } from './written.ts';

const a = proxyLocalActivities<CoreActivities>(activityOptions.databaseWrite);
const mail = proxyActivities<CoreActivities>(activityOptions.mailSend);

/** Runs recorded before this patch answered with the link itself; they replay without the mail child. */
export const SIGN_IN_LINK_MAIL_PATCH = 'sign-in-link-by-mail';

const writeSignInLink = singleWrite(workflows.issueSignInLink, a.issueSignInLink);

/**
 * Starts the link's mail and returns without waiting for it: the mail goes on retrying (relay down) as its own
 * run. Only for a link whose hash the run did not carry (a run that carried one answered its plaintext).
 */
export async function startSignInLinkMail(linkId: number): Promise<void> {
  const entry = workflows.mailSignInLink;
  await startAbandoned(entry, entry.id({ linkId }), { linkId });
}

/** One-time sign-in links: each step one transaction, audited; the secret goes to the user's address only. */
export const issueSignInLink: typeof writeSignInLink = async (input) => {
  const answer = answerWhenWritten<Awaited<ReturnType<typeof writeSignInLink>>>();
  const link = answer(await writeSignInLink(input));
  if (patched(SIGN_IN_LINK_MAIL_PATCH) && input.link === undefined) await startSignInLinkMail(link.id);
  return link;
};
export const redeemSignInLink = singleWrite(workflows.redeemSignInLink, a.redeemSignInLink);

export async function mailSignInLink(input: MailSignInLinkInput) {
  return mail.mailSignInLink(input);
}
