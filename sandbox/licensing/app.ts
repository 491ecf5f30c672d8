import { Hono } from 'hono';
import { decodeJwt, importJWK, jwtVerify } from 'jose';
import type { IssueOptions, LicenceIssuer } from './issuer.ts';

export type LicensingFault = 'none' | 'error' | 'hang' | 'refuse';

export interface ReceivedHeartbeat {
  at: number;
  idempotencyKey: string | undefined;
  sub: string;
  body: Record<string, unknown>;
}

/**
 * A local licensing server: the contract a real one implements.
 * `POST /v1/heartbeats` with `Authorization: Bearer <licence key>` and an
 * `Idempotency-Key`, body = usage → `{status: active|suspended|revoked,
 * server_time, licence?}`; 401 for a key it did not sign. `/__sandbox/*`
 * issues and revokes keys, switches faults and lists what it received.
 */
export function createLicensingSandbox(issuer: LicenceIssuer) {
  const app = new Hono();
  const revoked = new Set<string>();
  const suspended = new Set<string>();
  const received: ReceivedHeartbeat[] = [];
  const answered = new Map<string, unknown>();
  const state = { fault: 'none' as LicensingFault, refresh: undefined as undefined | { expiresIn: number } };

  app.post('/__sandbox/licences', async (c) => c.json({ key: await issuer.issue(await c.req.json()) }, 201));
  app.post('/__sandbox/revoke', async (c) => {
    const { sub } = await c.req.json<{ sub: string }>();
    revoked.add(sub);
    return c.json({ revoked: sub });
  });
  app.put('/__sandbox/faults', async (c) => {
    state.fault = (await c.req.json<{ fault: LicensingFault }>()).fault;
    return c.json(state);
  });
  app.get('/__sandbox/heartbeats', (c) => c.json(received));

  app.post('/v1/heartbeats', async (c) => {
    if (state.fault === 'refuse') {
      (c.env as { incoming?: { socket?: { destroy(): void } } })?.incoming?.socket?.destroy();
      return c.body(null, 503);
    }
    if (state.fault === 'hang') await new Promise((r) => setTimeout(r, 60_000));
    if (state.fault === 'error') return c.json({ error: 'sandbox: injected failure' }, 503);
    const auth = c.req.header('authorization') ?? '';
    const key = auth.startsWith('Bearer ') ? auth.slice(7) : '';
    try {
      await jwtVerify(key, await importJWK(issuer.publicJwk, 'EdDSA'), { algorithms: ['EdDSA'] });
    } catch {
      return c.json({ error: 'licence key not recognised' }, 401);
    }
    const { sub, aud } = decodeJwt(key);
    const idempotencyKey = c.req.header('idempotency-key');
    if (idempotencyKey && answered.has(idempotencyKey)) return c.json(answered.get(idempotencyKey) as object);
    received.push({ at: Date.now(), idempotencyKey, sub: sub!, body: await c.req.json() });
    const status = revoked.has(sub!) ? 'revoked' : suspended.has(sub!) ? 'suspended' : 'active';
    const answer = {
      status,
      server_time: new Date().toISOString(),
      ...(status === 'active' && state.refresh
        ? {
            licence: await issuer.issue({
              ...(decodeJwt(key) as unknown as IssueOptions),
              aud: String(aud),
              sub: sub!,
              expiresIn: state.refresh.expiresIn,
            }),
          }
        : {}),
    };
    if (idempotencyKey) answered.set(idempotencyKey, answer);
    return c.json(answer);
  });

  return { app, revoked, suspended, received, state };
}
