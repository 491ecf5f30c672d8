import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import type { Logger } from '../config/logger.ts';
import type { WebhookSettings } from '../config/webhooks.ts';
import type { Sql } from '../db/pool.ts';
import { createAccountActivities } from './accounts.ts';
import { createDeadLetterActivities, createDeadLetterRecorder } from './dead-letters.ts';
import { createDeliveryActivities } from './deliveries.ts';
import { createScheduleActivities } from './schedules.ts';
import { createInboxActivities } from './inboxes.ts';
import { createInvitationActivities } from './invitations.ts';
import { createInvitationMail } from './invitation-mail.ts';
import type { MailSettings } from '../config/mail.ts';
import { createPlatformActivities } from './platform.ts';
import { createPromotionActivities } from './promotions.ts';
import { createTriageActivities } from './triage.ts';
import { createBreakGlassActivities } from './break-glass.ts';
import { createMemberActivities } from './members.ts';
import { createMessageActivities } from './messages.ts';
import { createContactActivities } from './contacts.ts';
import { createContactMerge } from './contact-merge.ts';
import { createConversationActivities } from './conversations.ts';
import { createConversationWrites } from './conversation-writes.ts';
import { createMessageEdits } from './message-edits.ts';
import { createLabelActivities } from './labels.ts';
import { createOutgoingActivities } from './outgoing.ts';
import { createWebhookActivities } from './webhooks.ts';
import { createLicenceActivities } from './licence.ts';
import type { LicenceSettings } from '../config/licence.ts';
import type { AccountLimits } from '../config/limits.ts';
import type { CoreActivities } from '../contracts/activities.ts';
import type { BreakerSettings } from '../config/breakers.ts';
import { createBreakers } from './breaker.ts';
import { createBreakerActivities } from './breaker-admin.ts';
import { createProofs } from './proofs.ts';
import { createSignInLinkActivities } from './sign-in-links.ts';
import { createSignInLinkMail } from './sign-in-link-mail.ts';
import { createBotActivities } from './bots.ts';
import { createHousekeepingActivities } from './housekeeping.ts';
import { createRetentionActivities } from './retention.ts';

export interface ActivityDeps {
  sql: Sql;
  logger: Logger;
  webhooks: WebhookSettings;
  licence: LicenceSettings;
  limits: AccountLimits;
  /** The payload codec: dead letters keep their input sealed by it. */
  codec: PayloadCodec;
  /** For the schedules Capstan owns (pause, trigger… by an operator). */
  temporal: Client;
  breakers: BreakerSettings;
  mail: MailSettings;
}

/** Every activity of the core task queue, built from its dependencies. */
export function createActivities({
  sql: pool,
  logger,
  webhooks,
  licence,
  limits,
  codec,
  temporal,
  breakers: settings,
  mail,
}: ActivityDeps): CoreActivities {
  const named = (component: string) => logger.child({ component: `activities.${component}` });
  // Writes get the pool through `proofs`: a vouched write spends its proof in its own transaction.
  const proofs = createProofs({ sql: pool });
  const { sql } = proofs;
  const breakers = createBreakers({ sql, logger: named('breakers'), settings });
  return proofs.vouchAll({
    ...proofs.activities,
    ...createAccountActivities({ sql, logger: named('accounts') }),
    ...createMemberActivities({ sql, logger: named('members'), licence }),
    ...createInboxActivities({ sql, logger: named('inboxes'), limits, webhooks }),
    ...createMessageActivities({ sql, logger: named('messages'), webhooks }),
    ...createContactActivities({ sql, logger: named('contacts'), webhooks }),
    ...createContactMerge({ sql, logger: named('contacts'), webhooks }),
    ...createConversationActivities({ sql, logger: named('conversations'), webhooks, temporal }),
    ...createConversationWrites({ sql, logger: named('conversations'), webhooks }),
    ...createMessageEdits({ sql, logger: named('messages'), webhooks }),
    ...createLabelActivities({ sql, logger: named('labels') }),
    ...createOutgoingActivities({ sql, logger: named('outgoing'), webhooks }),
    ...createWebhookActivities({ sql, logger: named('webhooks'), webhooks, limits }),
    ...createInvitationActivities({ sql, logger: named('invitations'), licence, limits }),
    ...createInvitationMail({ sql: pool, logger: named('invitation-mail'), mail }),
    ...createPlatformActivities({ sql, logger: named('platform') }),
    ...createDeliveryActivities({ sql, logger: named('deliveries'), webhooks, breakers }),
    ...createLicenceActivities({ sql, logger: named('licence'), settings: licence, breakers }),
    ...createBreakerActivities({ sql, logger: named('breakers') }),
    ...createPromotionActivities({ sql, logger: named('promotions') }),
    ...createTriageActivities({ sql, logger: named('triage') }),
    ...createDeadLetterRecorder({ sql, logger: named('dead-letters'), codec }),
    ...createDeadLetterActivities({ sql, logger: named('dead-letters'), codec, resign: proofs.resign }),
    ...createScheduleActivities({ sql, logger: named('schedules'), temporal }),
    ...createBreakGlassActivities({ sql, logger: named('break-glass') }),
    ...createSignInLinkActivities({ sql, logger: named('sign-in-links') }),
    ...createSignInLinkMail({ sql: pool, logger: named('sign-in-link-mail'), mail }),
    ...createBotActivities({ sql, logger: named('bots') }),
    ...createHousekeepingActivities({ sql, logger: named('housekeeping') }),
    ...createRetentionActivities({ sql, logger: named('retention'), temporal }),
    pruneProofNonces: proofs.pruneProofNonces,
  } satisfies CoreActivities);
}

export { createDeadLetterRecorder } from './dead-letters.ts';
