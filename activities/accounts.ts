import type { Logger } from '../config/logger.ts';
import type { Sql, TransactionSql } from '../db/pool.ts';
import type { ProvisionAccountCommand, ProvisionAccountResult } from '../workflows/provision-account.types.ts';
import { finalIfPermanent } from './failures.ts';

export interface AccountActivityDeps {
  sql: Sql;
  logger: Logger;
}

export function createAccountActivities({ sql, logger }: AccountActivityDeps) {
  /**
   * One transaction. The account's idempotency key makes a retried attempt
   * (worker killed after commit, before Temporal heard of it) find the account
   * it already made instead of making a second one.
   */
  async function createAccountWithAdmin(cmd: ProvisionAccountCommand): Promise<ProvisionAccountResult> {
    return sql
      .begin(async (tx) => {
        const [account] = await tx<{ id: number; name: string }[]>`
          insert into accounts (name, locale, idempotency_key)
          values (${cmd.name}, ${cmd.locale}, ${cmd.idempotencyKey})
          on conflict (idempotency_key) do nothing
          returning id, name`;
        if (!account) return existing(tx, cmd.idempotencyKey);

        const [admin] = await tx<{ id: number; email: string; name: string }[]>`
          insert into users (name, email) values (${cmd.admin.name}, ${cmd.admin.email})
          on conflict ((lower(email))) do update set updated_at = users.updated_at
          returning id, email, name`;
        await tx`
          insert into account_users (account_id, user_id, role)
          values (${account.id}, ${admin!.id}, 'administrator')`;
        await tx`
          insert into access_tokens (owner_type, owner_id, token_sha256, prefix, name)
          values ('User', ${admin!.id}, ${cmd.token.sha256}, ${cmd.token.prefix}, 'provisioning')`;
        await tx`
          insert into audit_log (account_id, actor_type, actor_id, action, subject_type, subject_id, details, workflow_id)
          values (${account.id}, ${cmd.requestedBy.type}, ${cmd.requestedBy.id}, 'account.provisioned',
                  'User', ${String(admin!.id)}, ${tx.json({ email: cmd.admin.email, tokenPrefix: cmd.token.prefix })},
                  ${cmd.workflowId})`;
        logger.info({ accountId: account.id, adminId: admin!.id, workflowId: cmd.workflowId }, 'account provisioned');
        return { account, admin: admin!, created: true };
      })
      .catch(finalIfPermanent);
  }

  return { createAccountWithAdmin };
}

async function existing(tx: TransactionSql, idempotencyKey: string): Promise<ProvisionAccountResult> {
  const [row] = await tx<{ account_id: number; account_name: string; admin_id: number; email: string; admin_name: string }[]>`
    select a.id as account_id, a.name as account_name, u.id as admin_id, u.email, u.name as admin_name
      from accounts a
      join account_users au on au.account_id = a.id and au.role = 'administrator'
      join users u on u.id = au.user_id
     where a.idempotency_key = ${idempotencyKey}
     order by au.id
     limit 1`;
  if (!row) throw new Error(`account with idempotency key ${idempotencyKey} has no administrator`);
  return {
    account: { id: row.account_id, name: row.account_name },
    admin: { id: row.admin_id, email: row.email, name: row.admin_name },
    created: false,
  };
}
