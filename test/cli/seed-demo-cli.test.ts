import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAccounts, demoLicence } from '../../cli/seed/data.ts';
import { demoSnapshot, settledDeliveries } from '../support/demo.ts';
import { call } from '../support/http.ts';
import { startReceiver } from '../support/receiver.ts';
import { useStack } from '../support/stack.ts';

const stack = useStack({ http: true, ownDatabase: true, licensing: { heartbeatIntervalMs: 3_600_000 } });
const bin = fileURLToPath(new URL('../../bin/capstan.js', import.meta.url));
let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(() => receiver?.close());

/** `capstan seed demo` as a process, against this file's API and licensing sandbox. */
async function seed(): Promise<string> {
  const { LICENSING_SERVER_URL: _real, ...inherited } = process.env;
  const env = {
    ...inherited,
    CAPSTAN_API_URL: stack.api.url,
    CAPSTAN_BOOTSTRAP_TOKEN: stack.platformToken,
    LICENSING_SANDBOX_PORT: new URL(stack.licensing.url).port,
  };
  const { stdout } = await promisify(execFile)(process.execPath, [bin, 'seed', 'demo', '--webhook-url', receiver.url], {
    env,
    timeout: 120_000,
  });
  return stdout;
}

describe('capstan seed demo (the command)', () => {
  it('seeds through the API with a sandbox licence, and says so when there is nothing left to create', async () => {
    const first = await seed();
    expect(first).toMatch(/created \d+ items/);
    for (const account of demoAccounts) expect(first).toContain(account.name);
    await settledDeliveries(stack);
    const before = await demoSnapshot(stack);
    const licence = await call(stack.api.url, 'GET', '/v1/license', { token: stack.platformToken });
    expect(licence.body).toMatchObject({ status: 'VALID', customer: demoLicence.customer });

    expect(await seed()).toContain('demo data already in place: nothing created');
    await settledDeliveries(stack);
    expect(await demoSnapshot(stack)).toEqual(before);
  });
});
