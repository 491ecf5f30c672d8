import { mkdir } from 'node:fs/promises';
import { call } from '../support/http.ts';
import { ensureSchemathesis, runSchemathesis, type SchemathesisRun } from './schemathesis.ts';
import { startContractStack, type ContractStack } from './stack.ts';

/**
 * `npm run contract [-- <st run options>]`: a throwaway Capstan, then
 * schemathesis against its /openapi.json with every check and phase, once with
 * the platform token and once with an account administrator's. Exits 1 when
 * either run finds a failure, or when a token never got past authentication.
 */
const extraArgs = process.argv.slice(2);
const reportDir = 'test-results/schemathesis';

async function expect201(res: Awaited<ReturnType<typeof call>>, what: string) {
  if (res.status !== 201) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** An account for one run: its administrator's token, and a spare member and token the run may demote, remove and revoke. */
async function prepareAccount(stack: ContractStack, label: string) {
  const api = (path: string, body: unknown, token = stack.platformToken) =>
    call(stack.url, 'POST', path, { token, body });
  const email = `admin-${label}@contract.test`;
  const provisioned = await expect201(
    await api('/v1/accounts', { name: `Contract ${label}`, admin: { name: 'Admin', email } }),
    'provision',
  );
  const accountId = provisioned.account.id as number;
  // The administrator redeems the one-time link mailed to their address.
  const mailed = (await stack.mail.mailbox.waitFor(email)).text;
  const signInToken = /\bsil_[A-Za-z0-9_-]{43}\b/.exec(mailed)?.[0];
  const signedIn = await expect201(
    await call(stack.url, 'POST', '/v1/sign-in-links/redeem', { body: { token: signInToken } }),
    'redeem sign-in link',
  );
  const adminToken = signedIn.access_token as string;
  const spare = await expect201(
    await api(`/v1/accounts/${accountId}/members`, {
      name: 'Spare',
      email: `spare-${label}@contract.test`,
      role: 'agent',
    }),
    'add member',
  );
  // A token is made by its holder: the administrator's own spare, which the run may revoke.
  const token = await expect201(
    await api(`/v1/accounts/${accountId}/access_tokens`, { name: 'spare' }, adminToken),
    'create token',
  );
  // Platform operations that end things (rotate, revoke, suspend) act on spares, never on the run's own token or account.
  const sparePlatform = await expect201(
    await api('/v1/platform/tokens', { app: `contract-${label}`, name: 'spare' }),
    'platform token',
  );
  const spareAccount = await expect201(
    await api('/v1/accounts', {
      name: `Spare ${label}`,
      admin: { name: 'Spare', email: `spare-admin-${label}@contract.test` },
    }),
    'spare account',
  );
  return {
    adminToken,
    env: {
      CAPSTAN_SPARE_PLATFORM_TOKEN_ID: String(sparePlatform.id),
      CAPSTAN_SPARE_ACCOUNT_ID: String(spareAccount.account.id),
      CAPSTAN_ACCOUNT_ID: String(accountId),
      CAPSTAN_SPARE_USER_ID: String(spare.user_id),
      CAPSTAN_SPARE_TOKEN_ID: String(token.id),
    },
  };
}

/** A run that answered only 401/403 somewhere it should have got in tested nothing there. */
function shutOut(run: SchemathesisRun): string[] {
  return run.label === 'platform'
    ? run.unauthorised.filter((operation) => !USER_ONLY.includes(operation))
    : run.unauthorised.filter(
        (operation) => operation.includes('/v1/accounts/{id}') && !PLATFORM_ONLY.includes(operation),
      );
}

/**
 * Operations refused by design to one kind of token: only a platform token adds members directly or suspends;
 * only a user accepts an invitation, makes a token (for themselves), makes the account's bots (its administrators)
 * or activates their own break-glass grant.
 */
const PLATFORM_ONLY = ['POST /v1/accounts/{id}/members', 'PATCH /v1/accounts/{id}'];
const USER_ONLY = [
  'POST /v1/invitations/{invitationId}/accept',
  'POST /v1/accounts/{id}/access_tokens',
  'POST /v1/accounts/{id}/bots',
  'POST /v1/accounts/{id}/bots/{botId}/access_tokens',
  'POST /v1/break-glass/activate',
];

function report(runs: SchemathesisRun[]): boolean {
  console.log('\nschemathesis summary');
  let ok = runs.length === 2;
  for (const run of runs) {
    const blocked = shutOut(run);
    const passed = run.exitCode === 0 && run.failures === 0 && run.errors === 0 && blocked.length === 0;
    ok &&= passed;
    console.log(
      `  ${passed ? 'ok  ' : 'FAIL'} ${run.label.padEnd(13)} ${run.operations} operations, ${run.cases} cases, ${run.failures} failures, ${run.errors} errors, ${run.seconds} s`,
    );
    for (const title of run.failureTitles) console.log(`         ${title}`);
    for (const operation of blocked) console.log(`         only 401/403: ${operation}`);
  }
  return ok;
}

await mkdir(reportDir, { recursive: true });
const schemathesis = await ensureSchemathesis();
const stack = await startContractStack();
const runs: SchemathesisRun[] = [];
try {
  const platform = await prepareAccount(stack, 'platform');
  runs.push(
    await runSchemathesis({
      schemathesis,
      label: 'platform',
      baseUrl: stack.url,
      token: stack.platformToken,
      reportDir,
      extraArgs,
      env: platform.env,
    }),
  );
  const admin = await prepareAccount(stack, 'administrator');
  runs.push(
    await runSchemathesis({
      schemathesis,
      label: 'administrator',
      baseUrl: stack.url,
      token: admin.adminToken,
      reportDir,
      extraArgs,
      env: admin.env,
    }),
  );
} finally {
  await stack.stop();
}
// Exit with the verdict even if a worker's native side is still winding down after its grace period (seen after a
// run that left writes in flight): the stack's servers are stopped, and nothing is left to wait for.
process.exit(report(runs) ? 0 : 1);
