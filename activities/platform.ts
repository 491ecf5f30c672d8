import type { Logger } from '../config/logger.ts';
import type { Run } from '../contracts/activities.ts';
import type {
  AccountStatusChange,
  CreatePlatformTokenInput,
  PlatformTokenRecord,
  RevokePlatformTokenInput,
  RotatePlatformTokenInput,
  SetAccountStatusInput,
} from '../contracts/platform.ts';
import { actingApp, appMay } from '../db/permissibles.ts';
import { platformTokens } from '../db/platform-tokens.ts';
import { scopesFor } from '../domain/scopes.ts';
import type { Sql, TransactionSql } from '../db/pool.ts';
import { finalIfPermanent, refuse } from './failures.ts';
import { audit } from './audit.ts';

const tokenById = async (tx: TransactionSql, id: number): Promise<PlatformTokenRecord> =>
  (await platformTokens(tx, id))[0]!;

/** Platform tokens and account status: the platform's own writes, each audited. */
export function createPlatformActivities({ sql, logger }: { sql: Sql; logger: Logger }) {
  async function createPlatformToken(cmd: Run<CreatePlatformTokenInput>): Promise<PlatformTokenRecord> {
    return sql
      .begin(async (tx) => {
        const [app] = await tx<{ id: number }[]>`
          insert into platform_apps (name) values (${cmd.app}) on conflict (name) do update set name = excluded.name returning id`;
        const [row] = await tx<{ id: number }[]>`
          insert into access_tokens (owner_type, owner_id, token_sha256, prefix, name, expires_at, created_by, scopes)
          values ('PlatformApp', ${app!.id}, ${cmd.token.sha256}, ${cmd.token.prefix}, ${cmd.name}, ${cmd.expiresAt ?? null}, ${`${cmd.actor.type}:${cmd.actor.id}`}, ${cmd.scopes ?? scopesFor('platform')})
          on conflict (token_sha256) do update set name = access_tokens.name
          returning id`;
        await platformAudit(tx, cmd, 'platform_token.created', row!.id, {
          app: cmd.app,
          prefix: cmd.token.prefix,
          scopes: cmd.scopes ?? scopesFor('platform'),
        });
        return tokenById(tx, row!.id);
      })
      .catch(finalIfPermanent);
  }

  /** The new token and the old one's end in one transaction: there is never a moment with neither. */
  async function rotatePlatformToken(cmd: Run<RotatePlatformTokenInput>): Promise<PlatformTokenRecord> {
    return sql
      .begin(async (tx) => {
        const [old] = await tx<{ owner_id: number; name: string; revoked_at: Date | null; scopes: string[] }[]>`
          select owner_id, name, revoked_at, scopes from access_tokens where id = ${cmd.tokenId} and owner_type = 'PlatformApp' for update`;
        if (!old) refuse('NotFound', `Platform token ${cmd.tokenId} does not exist.`);
        // The new token carries what the old one did: the API refused a rotation by a token that carries less.
        const [row] = await tx<{ id: number }[]>`
          insert into access_tokens (owner_type, owner_id, token_sha256, prefix, name, created_by, scopes)
          values ('PlatformApp', ${old.owner_id}, ${cmd.token.sha256}, ${cmd.token.prefix}, ${old.name}, ${`${cmd.actor.type}:${cmd.actor.id}`}, ${old.scopes})
          on conflict (token_sha256) do update set name = access_tokens.name
          returning id`;
        if (!old.revoked_at) {
          if (cmd.graceSeconds > 0) {
            await tx`update access_tokens set expires_at = least(coalesce(expires_at, 'infinity'), now() + make_interval(secs => ${cmd.graceSeconds}))
                      where id = ${cmd.tokenId}`;
          } else {
            await tx`update access_tokens set revoked_at = now() where id = ${cmd.tokenId}`;
          }
        }
        await platformAudit(tx, cmd, 'platform_token.rotated', row!.id, {
          replaced: cmd.tokenId,
          graceSeconds: cmd.graceSeconds,
        });
        logger.info({ tokenId: cmd.tokenId, newTokenId: row!.id }, 'platform token rotated');
        return tokenById(tx, row!.id);
      })
      .catch(finalIfPermanent);
  }

  async function revokePlatformToken(cmd: Run<RevokePlatformTokenInput>): Promise<PlatformTokenRecord> {
    return sql.begin(async (tx) => {
      const updated =
        await tx`update access_tokens set revoked_at = coalesce(revoked_at, now()) where id = ${cmd.tokenId} and owner_type = 'PlatformApp' returning id`;
      if (!updated.length) refuse('NotFound', `Platform token ${cmd.tokenId} does not exist.`);
      await platformAudit(tx, cmd, 'platform_token.revoked', cmd.tokenId, {});
      return tokenById(tx, cmd.tokenId);
    });
  }

  async function setAccountStatus(cmd: Run<SetAccountStatusInput>): Promise<AccountStatusChange> {
    return sql.begin(async (tx) => {
      const [before] = await tx<
        { status: 'active' | 'suspended' }[]
      >`select status from accounts where id = ${cmd.accountId} for update`;
      if (!before) refuse('NotFound', `Account ${cmd.accountId} does not exist.`);
      if (!(await appMay(tx, await actingApp(tx, cmd.actor), 'Account', cmd.accountId)))
        refuse('Forbidden', `This platform app did not make account ${cmd.accountId}.`);
      if (before.status === cmd.status) return { accountId: cmd.accountId, status: cmd.status, changed: false };
      await tx`update accounts set status = ${cmd.status}, updated_at = now() where id = ${cmd.accountId}`;
      await audit(tx, {
        accountId: cmd.accountId,
        actor: cmd.actor,
        action: `account.${cmd.status === 'suspended' ? 'suspended' : 'reactivated'}`,
        subject: 'Account',
        subjectId: cmd.accountId,
        details: { reason: cmd.reason ?? null },
        workflowId: cmd.workflowId,
      });
      logger.info({ accountId: cmd.accountId, status: cmd.status }, 'account status changed');
      return { accountId: cmd.accountId, status: cmd.status, changed: true };
    });
  }

  return { createPlatformToken, rotatePlatformToken, revokePlatformToken, setAccountStatus };
}

/** Platform-level audit rows belong to no account. */
function platformAudit(
  tx: TransactionSql,
  cmd: { actor: { type: string; id: string }; workflowId: string },
  action: string,
  tokenId: number,
  details: object,
): Promise<void> {
  return audit(tx, {
    accountId: null,
    actor: cmd.actor,
    action,
    subject: 'PlatformToken',
    subjectId: tokenId,
    details,
    workflowId: cmd.workflowId,
  });
}
