import { ScheduleOverlapPolicy } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { LICENCE_SCHEDULE_ID } from '../../workers/schedules.ts';
import { invite, newAccount } from '../support/fixtures.ts';
import { call } from '../support/http.ts';
import { until } from '../support/receiver.ts';
import { unique, useStack } from '../support/stack.ts';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.ts';

// The licence is installation-wide: this file has a database of its own.
const stack = useStack({
  http: true,
  isolatedDatabase: true,
  captureLogs: true,
  licensing: { heartbeatIntervalMs: 3_600_000 },
});
const api = (method: string, path: string, body?: unknown) =>
  call(stack.api.url, method, path, { token: stack.platformToken, body });
const issued: string[] = [];

async function issue(
  o: {
    plan?: 'community' | 'startups' | 'business' | 'enterprise';
    seats?: number;
    expiresIn?: number;
    hb?: number;
    grace?: number;
    sub?: string;
  } = {},
) {
  const aud = (await api('GET', '/v1/license')).body.installation_id as string;
  const key = await stack.licensing.issuer.issue({
    aud,
    plan: o.plan ?? 'business',
    seats: o.seats ?? 100,
    expiresIn: o.expiresIn ?? 3600,
    hb: o.hb,
    grace: o.grace,
    sub: o.sub,
  });
  issued.push(key);
  return key;
}

const heartbeat = () => api('POST', '/v1/license/heartbeat');
const fault = (f: 'none' | 'error' | 'hang' | 'refuse') => (stack.licensing.sandbox.state.fault = f);

describe('licence', () => {
  it('starts as community; refuses a bad key with its code and changes nothing; accepts a good one', async () => {
    expect((await api('GET', '/v1/license')).body).toMatchObject({
      status: 'COMMUNITY',
      plan: 'community',
      features: [],
    });
    const wrongInstallation = await stack.licensing.issuer.issue({
      aud: 'someone-else',
      plan: 'enterprise',
      seats: 5,
      expiresIn: 3600,
    });
    issued.push(wrongInstallation);
    const refused = await api('PUT', '/v1/license', { key: wrongInstallation });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'WRONG_INSTALLATION' });
    expect((await api('PUT', '/v1/license', { key: 'garbage' })).body.code).toBe('MALFORMED');
    expect((await api('GET', '/v1/license')).body.status).toBe('COMMUNITY');

    const installed = await api('PUT', '/v1/license', { key: await issue({ plan: 'business', seats: 100 }) });
    expect(installed.status).toBe(200);
    expect(installed.body).toMatchObject({
      status: 'VALID',
      plan: 'business',
      features: ['audit_logs', 'disable_branding', 'sla'],
    });
  });

  it('a premium endpoint answers 402 naming its feature until the plan includes it', async () => {
    fault('none');
    const account = await newAccount(stack, 'premium');
    await api('PUT', '/v1/license', { key: await issue({ plan: 'startups' }) });
    const refused = await account.api('GET', `/v1/accounts/${account.accountId}/audit_log`);
    expect(refused.status).toBe(402);
    expect(refused.body).toMatchObject({ type: 'urn:capstan:problem:payment-required', feature: 'audit_logs' });

    await api('PUT', '/v1/license', { key: await issue({ plan: 'business' }) });
    const allowed = await account.api('GET', `/v1/accounts/${account.accountId}/audit_log`);
    expect(allowed.status).toBe(200);
    expect(allowed.body.payload.map((e: { action: string }) => e.action)).toContain('account.provisioned');
  });

  it('with the licensing server down: VALID → GRACE → EXPIRED on time, features off, and back on with a renewed key', async () => {
    fault('none');
    const account = await newAccount(stack, 'grace');
    await api('PUT', '/v1/license', { key: await issue({ plan: 'business', hb: 1, grace: 10 }) });
    const first = await heartbeat();
    expect(first.body).toMatchObject({ heartbeat: { outcome: 'confirmed', serverStatus: 'active' }, status: 'VALID' });
    const confirmedAt = Date.parse(first.body.licence.heartbeat.last_confirmed_at);

    fault('error');
    const failed = await heartbeat();
    expect(failed.body.heartbeat.outcome).toBe('failed');
    // Unconfirmed for more than two intervals (2 s): GRACE; and then for the 10 s grace as well: EXPIRED.
    // (A grace this long leaves the polls below ample time to see GRACE on a loaded machine.)
    await until('GRACE', async () => (await api('GET', '/v1/license')).body.status === 'GRACE', 30_000);
    expect(Date.now() - confirmedAt).toBeGreaterThanOrEqual(2_000);
    expect((await account.api('GET', `/v1/accounts/${account.accountId}/audit_log`)).status).toBe(200);
    await until('EXPIRED', async () => (await heartbeat()).body.status === 'EXPIRED', 30_000);
    expect(Date.now() - confirmedAt).toBeGreaterThanOrEqual(12_000);
    const [row] = await stack.sql`select premium_features from accounts where id = ${account.accountId}`;
    expect(row?.premium_features).toEqual([]);
    expect((await account.api('GET', `/v1/accounts/${account.accountId}/audit_log`)).status).toBe(402);

    const renewed = await api('PUT', '/v1/license', { key: await issue({ plan: 'business', hb: 3600 }) });
    expect(renewed.body.status).toBe('VALID');
    expect((await account.api('GET', `/v1/accounts/${account.accountId}/audit_log`)).status).toBe(200);
    fault('none');
  });

  it('a key revoked on the server becomes REVOKED at the next heartbeat', async () => {
    fault('none');
    const sub = unique('customer');
    await api('PUT', '/v1/license', { key: await issue({ sub }) });
    expect((await heartbeat()).body.status).toBe('VALID');
    stack.licensing.sandbox.revoked.add(sub);
    const after = await heartbeat();
    expect(after.body).toMatchObject({ heartbeat: { serverStatus: 'revoked' }, status: 'REVOKED', features: [] });
  });

  it('sends usage with the key as bearer and a stable idempotency key, and the server receives it', async () => {
    fault('none');
    await api('PUT', '/v1/license', { key: await issue({ sub: 'usage-customer' }) });
    const before = stack.licensing.sandbox.received.length;
    await heartbeat();
    // The schedule of an earlier test (1 s) may still deliver one of its own: find ours by its key.
    const ours = stack.licensing.sandbox.received
      .slice(before)
      .filter((r) => r.idempotencyKey?.includes(':licence-heartbeat-now:'));
    expect(ours).toHaveLength(1);
    const last = ours[0]!;
    expect(last.sub).toBe('usage-customer');
    expect(last.idempotencyKey).toMatch(new RegExp(`^${last.body.installation_id}:licence-heartbeat-now:`));
    expect(last.body).toMatchObject({ installation_id: expect.any(String), version: expect.any(String) });
    for (const field of [
      'accounts_count',
      'users_count',
      'inboxes_count',
      'conversations_count',
      'incoming_messages_count',
      'outgoing_messages_count',
      'seats_used',
    ]) {
      expect(last.body[field], field).toEqual(expect.any(Number));
    }
  });

  it("refuses a member beyond the licence's seats with 402", async () => {
    fault('none');
    const account = await newAccount(stack, 'seats');
    const used = (await api('GET', '/v1/license')).body.seats.used as number;
    await api('PUT', '/v1/license', { key: await issue({ seats: used + 1 }) });
    // An invitation takes no seat; accepting it does.
    const add = async (name: string) => {
      const { token } = await invite(stack, account, `${unique(name)}@example.test`);
      return call(stack.api.url, 'POST', '/v1/invitations/accept', { body: { token } });
    };
    expect((await add('fits')).status).toBe(201);
    const refused = await add('over');
    expect(refused.status).toBe(402);
    expect(refused.body.detail).toMatch(/seats/);
  });

  it('leaves exactly one heartbeat schedule after two worker starts', async () => {
    const env = {
      databaseUrl: stack.databaseUrl,
      temporalAddress: stack.temporalAddress,
      namespace: stack.namespace,
      smtpUrl: stack.mail.smtpUrl,
      extraEnv: {
        LICENCE_PUBLIC_KEYS: JSON.stringify(stack.licensing.issuer.pinned()),
        LICENCE_ISSUER: stack.licensing.issuer.issuer,
        LICENSING_SERVER_URL: stack.licensing.url,
      },
    };
    // Installing a licence above already made it; start from none, as a fresh installation does.
    await stack.temporal.schedule
      .getHandle(LICENCE_SCHEDULE_ID)
      .delete()
      .catch(() => {});
    const workers: WorkerProcess[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        const worker = await startWorkerProcess(env);
        workers.push(worker);
        await until('the schedule line', () => worker.output().includes('licence heartbeat schedule'));
        await worker.kill('SIGTERM');
      }
      expect(workers[0]!.output()).toMatch(/"schedule":"created"/);
      expect(workers[1]!.output()).toMatch(/"schedule":"(unchanged|updated)"/);
      // Every schedule that starts heartbeats, whatever its id (listing lags a little behind creation).
      const heartbeatSchedules = await until('the schedule to be listed', async () => {
        const found: string[] = [];
        for await (const s of stack.temporal.schedule.list()) {
          if (s.action?.type === 'startWorkflow' && s.action.workflowType === 'licenceHeartbeat')
            found.push(s.scheduleId);
        }
        return found.length > 0 && found;
      });
      expect(heartbeatSchedules).toEqual([LICENCE_SCHEDULE_ID]);
      const described = await stack.temporal.schedule.getHandle(LICENCE_SCHEDULE_ID).describe();
      expect(described.policies.overlap).toBe(ScheduleOverlapPolicy.SKIP);
      expect(workers.map((w) => w.output()).join('\n')).not.toMatch(/eyJ[\w-]+\.eyJ/); // no JWT in the workers' logs
    } finally {
      await Promise.all(workers.map((w) => w.kill()));
      await stack.temporal.schedule
        .getHandle(LICENCE_SCHEDULE_ID)
        .delete()
        .catch(() => {});
    }
  });

  it('stores a refreshed key the server sends, once it verifies; a refused connection is a recorded failure', async () => {
    fault('none');
    await api('PUT', '/v1/license', { key: await issue({ expiresIn: 3600 }) });
    const before = (await api('GET', '/v1/license')).body.expires_at as string;
    stack.licensing.sandbox.state.refresh = { expiresIn: 30 * 86_400 };
    try {
      const refreshed = await heartbeat();
      expect(refreshed.body.heartbeat).toMatchObject({ outcome: 'confirmed', refreshed: true });
      expect(Date.parse(refreshed.body.licence.expires_at)).toBeGreaterThan(Date.parse(before) + 86_400_000);
    } finally {
      stack.licensing.sandbox.state.refresh = undefined;
    }

    fault('refuse');
    const refused = await heartbeat();
    fault('none');
    expect(refused.body.heartbeat).toMatchObject({ outcome: 'failed' });
    expect(refused.body.heartbeat.error).toMatch(/unreachable|answered/);
    const [row] = await stack.sql`select outcome, error, latency_ms from licence_heartbeats order by id desc limit 1`;
    expect(row).toMatchObject({ outcome: 'failed' });
    expect(row?.error).toBeTruthy();
  });

  it('no log line of this file contains a licence key', () => {
    expect(stack.logLines.length).toBeGreaterThan(10);
    const leaked = stack.logLines.filter((line) =>
      issued.some((key) => line.includes(key) || line.includes(key.split('.')[2]!)),
    );
    expect(leaked).toEqual([]);
  });
});
