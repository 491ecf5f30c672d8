import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { breakerPolicies } from '../../config/catalogue.ts';
import { recordFailure } from '../../db/breakers.ts';
import { newAccount } from '../support/fixtures.ts';
import { call } from '../support/http.ts';
import { unique, useStack } from '../support/stack.ts';

const stack = useStack({ http: true });
const bin = fileURLToPath(new URL('../../bin/capstan.js', import.meta.url));

async function capstan(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    ...process.env,
    CAPSTAN_API_URL: stack.api.url,
    CAPSTAN_DATA_DIR: await mkdtemp(join(tmpdir(), 'capstan-cli-')),
    CAPSTAN_BOOTSTRAP_TOKEN: stack.platformToken,
  };
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], { env, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** A webhook host's breaker, opened the way workers open it. */
async function openBreaker(): Promise<string> {
  const name = `webhook:${unique('hooks')}.example:443`;
  const policy = breakerPolicies.webhook;
  for (let i = 0; i < policy.failureThreshold; i++)
    await recordFailure(stack.sql, name, `h${i}`, 'receiver answered 503', policy);
  return name;
}

const api = (method: string, path: string, body?: unknown, token = stack.platformToken) =>
  call(stack.api.url, method, path, { token, body });

describe('GET /v1/breakers and POST /v1/breakers/{name}/reset', () => {
  it('lists a breaker with its state, window and last failure; only for platform tokens', async () => {
    const name = await openBreaker();
    const listed = await api('GET', '/v1/breakers');
    expect(listed.status).toBe(200);
    const mine = listed.body.payload.find((b: { name: string }) => b.name === name);
    expect(mine).toMatchObject({
      state: 'open',
      failures: 0, // the window is emptied when it opens
      failure_threshold: breakerPolicies.webhook.failureThreshold,
      last_failure: 'receiver answered 503',
      totals: { failures: breakerPolicies.webhook.failureThreshold, opened: 1, trials: 0, refused: 0 },
    });
    expect(Date.parse(mine.half_open_at) - Date.parse(mine.opened_at)).toBe(breakerPolicies.webhook.openMs);

    const account = await newAccount(stack, 'breakers');
    expect((await api('GET', '/v1/breakers', undefined, account.adminToken)).status).toBe(403);
  });

  it('closes a breaker with a reason, audited with no account; refuses no reason (422) and unknown names (404)', async () => {
    const name = await openBreaker();
    const path = `/v1/breakers/${encodeURIComponent(name)}/reset`;
    expect((await api('POST', path, {})).status).toBe(422);
    expect((await api('POST', `/v1/breakers/${unique('nothing')}/reset`, { reason: 'x' })).status).toBe(404);

    const reset = await api('POST', path, { reason: 'receiver confirmed back up' });
    expect(reset.status).toBe(200);
    expect(reset.body).toMatchObject({ name, state: 'closed', before: 'open', half_open_at: null });
    const audit = await stack.sql`
      select account_id, actor_type, details from audit_log where action = 'breaker.reset' and subject_id = ${name}`;
    expect(audit).toEqual([
      {
        account_id: null,
        actor_type: 'PlatformApp',
        details: { reason: 'receiver confirmed back up', before: 'open' },
      },
    ]);
  });
});

describe('capstan breakers', () => {
  it('lists breakers and resets one by name with a reason', async () => {
    const name = await openBreaker();
    const listed = await capstan('breakers', 'list');
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`${name.replace(/\./g, '\\.')}\\s+open\\s+0/5\\s+half-open at `));

    const reset = await capstan('breakers', 'reset', name, '--reason', 'operator checked the host');
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stdout).toContain(`${name}: open → closed`);
    const [row] = await stack.sql`select state from breakers where name = ${name}`;
    expect(row).toEqual({ state: 'closed' });

    const refused = await capstan('breakers', 'reset', name);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/--reason/);
  });
});
