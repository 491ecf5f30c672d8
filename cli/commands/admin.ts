import type { Command } from 'commander';
import { apiClientOnUse } from '../api-client.ts';

interface PromotionView {
  grant_id: number;
  email: string;
  user_id: number;
  expires_at: string;
  ended_at: string | null;
  end_reason: string | null;
  granted_by: string;
  workflow_id: string;
}

const api = apiClientOnUse;
const path = (email: string) => `/v1/admin/promotions/${encodeURIComponent(email)}`;

function showPromotion(p: PromotionView): void {
  console.log(
    p.ended_at
      ? `${p.email} (user ${p.user_id}): grant ${p.grant_id} ended (${p.end_reason}) at ${p.ended_at}`
      : `${p.email} (user ${p.user_id}): break-glass grant ${p.grant_id} until ${p.expires_at} (granted by ${p.granted_by}); the grantee activates it with their own token: POST /v1/break-glass/activate`,
  );
  console.log(`workflow: ${p.workflow_id}`);
}

interface GrantEffectView {
  id: number;
  kind: string;
  subject_id: number;
  account_id: number;
  kept_at: string | null;
  ended_at: string | null;
}

function showEffects(g: PromotionView & { activation: { token_prefix: string } | null; effects: GrantEffectView[] }) {
  showPromotion(g);
  console.log(g.activation ? `break-glass token: ${g.activation.token_prefix}…` : 'not activated');
  for (const e of g.effects)
    console.log(
      `effect ${e.id}: ${e.kind} ${e.subject_id} in account ${e.account_id}` +
        (e.kept_at ? `, kept ${e.kept_at}` : e.ended_at ? `, ended ${e.ended_at}` : ', ends with the grant'),
    );
}

/**
 * `capstan admin promote|revoke|extend|force-reset|debug-auth`: the triage
 * operations, through the API with the CLI's platform token; each is a
 * workflow and leaves an audit row naming the platform app and the reason.
 */
export function registerAdminCommands(program: Command): void {
  const admin = program
    .command('admin')
    .description(
      'Triage operations, each audited: promote | revoke | extend | grant | keep | force-reset | sign-in-link | debug-auth',
    );
  admin
    .command('promote')
    .description(
      'Grant a user break glass until the TTL ends: they activate it with their own token for a break-glass token, administrator of every account',
    )
    .argument('<email>', "the user's email")
    .requiredOption('--reason <text>', 'why (kept in the audit log)')
    .requiredOption('--ttl <duration>', 'how long, e.g. 30m or 1h (at most 24h)')
    .action(async (email: string, o: { reason: string; ttl: string }) =>
      showPromotion(await (await api())('POST', '/v1/admin/promotions', { email, reason: o.reason, ttl: o.ttl })),
    );
  admin
    .command('revoke')
    .description("End a user's break-glass grant now")
    .argument('<email>', "the user's email")
    .requiredOption('--reason <text>', 'why (kept in the audit log)')
    .action(async (email: string, o: { reason: string }) =>
      showPromotion(await (await api())('POST', `${path(email)}/revoke`, { reason: o.reason })),
    );
  admin
    .command('extend')
    .description("Move a user's break-glass grant's end later")
    .argument('<email>', "the user's email")
    .requiredOption('--ttl <duration>', 'how much longer, e.g. 30m or 1h')
    .requiredOption('--reason <text>', 'why (kept in the audit log)')
    .action(async (email: string, o: { reason: string; ttl: string }) =>
      showPromotion(await (await api())('POST', `${path(email)}/extend`, { reason: o.reason, ttl: o.ttl })),
    );
  admin
    .command('grant')
    .description('Show a break-glass grant, its token (by prefix) and what was made with it')
    .argument('<grant-id>', 'the grant id')
    .action(async (grantId: string) => showEffects(await (await api())('GET', `/v1/admin/grants/${grantId}`)));
  admin
    .command('keep')
    .description('Keep one thing a grantee made, so it outlives the grant')
    .argument('<grant-id>', 'the grant id')
    .argument('<effect-id>', 'the effect id `capstan admin grant` lists')
    .requiredOption('--reason <text>', 'why (kept in the audit log)')
    .action(async (grantId: string, effectId: string, o: { reason: string }) => {
      const e = (await (
        await api()
      )('POST', `/v1/admin/grants/${grantId}/effects/${effectId}/keep`, { reason: o.reason })) as GrantEffectView;
      console.log(`effect ${e.id}: ${e.kind} ${e.subject_id} in account ${e.account_id} is kept past the grant`);
    });
  admin
    .command('force-reset')
    .description('Revoke every token of a user at once and require new credentials')
    .argument('<email>', "the user's email")
    .requiredOption('--reason <text>', 'why (kept in the audit log)')
    .action(async (email: string, o: { reason: string }) => {
      const r = await (await api())('POST', '/v1/admin/force-reset', { email, reason: o.reason });
      console.log(
        `${r.email} (user ${r.user_id}): ${r.tokens_revoked} token(s) and ${r.invitations_revoked} invitation(s) revoked` +
          `${r.promotion_ended ? ', break-glass grant ended' : ''}; tokens made before ${r.reset_at} are refused`,
      );
    });
  admin
    .command('sign-in-link')
    .description(
      'Issue a one-time sign-in link for a member (the way back after force-reset): it is mailed to their address',
    )
    .argument('<email>', "the user's email")
    .requiredOption('--account <id>', 'the account the token will act in (the user must be a member)')
    .requiredOption('--reason <text>', 'why (kept in the audit log)')
    .option('--minutes <n>', 'how long the link works (default 30, at most 1440)')
    .action(async (email: string, o: { account: string; reason: string; minutes?: string }) => {
      const link = await (
        await api()
      )('POST', '/v1/admin/sign-in-links', {
        email,
        account_id: Number(o.account),
        reason: o.reason,
        ...(o.minutes && { expires_in_minutes: Number(o.minutes) }),
      });
      console.log(
        `${email} (user ${link.user_id}) in account ${link.account_id}: single use, until ${link.expires_at}`,
      );
      console.log(`mailed to ${email}: they redeem it with POST /v1/sign-in-links/redeem {"token":"…"}`);
    });
  admin
    .command('debug-auth')
    .description('Explain why a token is accepted or refused (shown by its prefix only)')
    .argument('<token-or-prefix>', 'a whole token (never echoed) or the prefix shown for it, e.g. cap_AbCd1234')
    .option('--account <id>', 'the account the refused request was for')
    .option('--role <role>', 'the role the refused route needs: administrator | agent')
    .option('--scope <scope>', "the scope the refused route needs (its 403's missing_scope)")
    .option('--reason <text>', 'why you are looking (kept in the audit log)')
    .action(async (token: string, o: { account?: string; role?: string; scope?: string; reason?: string }) => {
      const answer = await (
        await api()
      )('POST', '/v1/admin/debug-auth', {
        token,
        ...(o.account && { account_id: Number(o.account) }),
        ...(o.role && { required_role: o.role }),
        ...(o.scope && { required_scope: o.scope }),
        ...(o.reason && { reason: o.reason }),
      });
      for (const d of answer.payload as Array<{ prefix: string | null; verdict: string; explanation: string }>)
        console.log(`${(d.prefix ?? '(unknown)').padEnd(14)} ${d.verdict.padEnd(18)} ${d.explanation}`);
    });
}
