import { createHash } from 'node:crypto';
import type { Logger } from '../config/logger.ts';
import type { Run } from '../contracts/activities.ts';
import type { BotRecord, CreateBotInput } from '../contracts/members.ts';
import type { Sql } from '../db/pool.ts';
import { finalIfPermanent, refuse } from './failures.ts';
import { audit } from './audit.ts';
import { noteGrantEffect } from './grant-effects.ts';

/**
 * Integration identities (bots, API-channel apps) an account owns. A bot is a user of that account alone: its
 * address names no mailbox, so no invitation reaches it, and its tokens are made by the account's administrators.
 */
export function createBotActivities({ sql, logger }: { sql: Sql; logger: Logger }) {
  async function createBot(cmd: Run<CreateBotInput>): Promise<BotRecord> {
    if (cmd.actor.type !== 'User') refuse('Forbidden', "An account's administrators make its bots.");
    // Derived from the run: a retried attempt finds the bot it made.
    const email = `bot-${createHash('sha256').update(cmd.workflowId).digest('hex').slice(0, 24)}@bots.capstan.invalid`;
    return sql
      .begin(async (tx) => {
        const [earlier] = await tx<{ id: number; name: string }[]>`select id, name from users where email = ${email}`;
        if (earlier) return { id: earlier.id, accountId: cmd.accountId, name: earlier.name };
        // A break-glass token acts as administrator of every account; its bot is the grant's, and ends with it.
        const [admin] =
          cmd.actor.grantId !== undefined
            ? [{}]
            : await tx`
          select 1 from account_users where account_id = ${cmd.accountId} and user_id = ${Number(cmd.actor.id)} and role = 'administrator'`;
        if (!admin) refuse('Forbidden', `Only an administrator of account ${cmd.accountId} makes its bots.`);
        const [bot] = await tx<{ id: number }[]>`
          insert into users (name, email, type, bot_account_id) values (${cmd.name}, ${email}, 'Bot', ${cmd.accountId})
          returning id`;
        const [membership] = await tx<{ id: number }[]>`
          insert into account_users (account_id, user_id, role) values (${cmd.accountId}, ${bot!.id}, 'agent') returning id`;
        await noteGrantEffect(tx, cmd.actor, {
          kind: 'membership',
          subjectId: membership!.id,
          accountId: cmd.accountId,
        });
        await audit(tx, {
          accountId: cmd.accountId,
          actor: cmd.actor,
          action: 'bot.created',
          subject: 'User',
          subjectId: bot!.id,
          details: { name: cmd.name },
          workflowId: cmd.workflowId,
        });
        logger.info({ accountId: cmd.accountId, botId: bot!.id }, 'bot created');
        return { id: bot!.id, accountId: cmd.accountId, name: cmd.name };
      })
      .catch(finalIfPermanent);
  }

  return { createBot };
}
