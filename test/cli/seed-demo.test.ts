import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAccounts } from '../../cli/seed/data.ts';
import { demoSnapshot, seedDemoData, settledDeliveries } from '../support/demo.ts';
import { startReceiver } from '../support/receiver.ts';
import { useStack } from '../support/stack.ts';

const stack = useStack({ http: true, ownDatabase: true, licensing: { heartbeatIntervalMs: 3_600_000 } });
let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(() => receiver?.close());

const expectedMessages = demoAccounts.flatMap((a) => a.conversations.flatMap((c) => c.messages)).length;

describe('capstan seed demo', () => {
  it('makes the demo data through the API, and a second run changes nothing', async () => {
    const first = await seedDemoData(stack, receiver.url);
    expect(first.accounts.map((a) => a.key)).toEqual(demoAccounts.map((a) => a.key));
    expect(first.created).toBeGreaterThan(expectedMessages);
    await settledDeliveries(stack);
    const before = await demoSnapshot(stack);
    expect(Number(before.accounts)).toBe(demoAccounts.length);
    expect(Number(before.messages)).toBe(expectedMessages);
    expect(Number(before.invitations)).toBe(2);
    expect(Number(before.licences)).toBe(1);
    expect(Number(before.deliveries)).toBeGreaterThan(0);

    const second = await seedDemoData(stack, receiver.url);
    await settledDeliveries(stack);
    expect(second.created).toBe(0);
    expect(second.accounts).toEqual(first.accounts);
    expect(await demoSnapshot(stack)).toEqual(before);
  });

  it('reaches the licence and the audit log through the workflows, not SQL', async () => {
    const licence = await fetch(`${stack.api.url}/v1/license`, {
      headers: { authorization: `Bearer ${stack.platformToken}` },
    }).then((r) => r.json());
    expect(licence).toMatchObject({ status: 'VALID', customer: 'capstan-demo', plan: 'business' });
    const [audited] = await stack.sql`select count(*)::int as n from audit_log where action like '%member%'`;
    expect(audited!.n).toBeGreaterThan(0);
  });
});
