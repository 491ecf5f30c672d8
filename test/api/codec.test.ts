import { defaultPayloadConverter } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { toJson, fromJson } from '../../api/codec/payload-json.ts';
import { generatePayloadKeys, keyringOf } from '../../config/payload-keys.ts';
import { EncryptionCodec } from '../../workers/codec.ts';
import { newAccount } from '../support/fixtures.ts';
import { call } from '../support/http.ts';
import { unique, useStack } from '../support/stack.ts';
import { ensurePlatformToken, hashToken, issueToken } from '../../db/tokens.ts';

const stack = useStack({ http: true });
const UI = 'http://localhost:8233';
const fromUi = { origin: UI, 'x-namespace': 'default' };

async function sealed(value: unknown) {
  const [payload] = await stack.access.codec.encode([defaultPayloadConverter.toPayload(value)!]);
  return toJson(payload!);
}

describe('the codec server', () => {
  it('decodes a payload for a platform token, as the Web UI asks, and lets the UI read the answer', async () => {
    const res = await call(stack.api.url, 'POST', '/codec/decode', {
      token: stack.platformToken,
      headers: fromUi,
      body: { payloads: [await sealed({ email: 'ana@example.test' })] },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(UI);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    const [payload] = res.body.payloads;
    expect(Buffer.from(payload.metadata.encoding, 'base64').toString()).toBe('json/plain');
    expect(defaultPayloadConverter.fromPayload(fromJson(payload))).toEqual({ email: 'ana@example.test' });
  });

  it('encodes what the workers can decode', async () => {
    const plain = toJson(defaultPayloadConverter.toPayload('typed in the Web UI')!);
    const res = await call(stack.api.url, 'POST', '/codec/encode', {
      token: stack.platformToken,
      headers: fromUi,
      body: { payloads: [plain] },
    });
    expect(res.status).toBe(200);
    expect(Buffer.from(res.body.payloads[0].metadata.encoding, 'base64').toString()).toBe('binary/encrypted');
    const [opened] = await stack.access.codec.decode([fromJson(res.body.payloads[0])]);
    expect(defaultPayloadConverter.fromPayload(opened!)).toBe('typed in the Web UI');
  });

  it('refuses a request without a token with 401 problem+json that the Web UI can read', async () => {
    const res = await call(stack.api.url, 'POST', '/codec/decode', {
      headers: fromUi,
      body: { payloads: [await sealed('x')] },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(res.headers.get('access-control-allow-origin')).toBe(UI);
    expect(res.body).toMatchObject({ type: 'urn:capstan:problem:unauthenticated', status: 401 });
  });

  it("refuses a user token with 403, even an account administrator's", async () => {
    const account = await newAccount(stack, 'codec');
    const res = await call(stack.api.url, 'POST', '/codec/decode', {
      token: account.adminToken,
      headers: fromUi,
      body: { payloads: [await sealed('x')] },
    });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      type: 'urn:capstan:problem:forbidden',
      detail: expect.stringMatching(/platform tokens only/),
    });
  });

  it('answers the CORS preflight for the Web UI origin, and neither it nor the call for another origin', async () => {
    const preflight = (origin: string) =>
      fetch(`${stack.api.url}/codec/decode`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type,x-namespace',
        },
      });
    const ok = await preflight('http://127.0.0.1:8233');
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:8233');
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
    expect(ok.headers.get('access-control-allow-headers')?.toLowerCase().split(',')).toEqual(
      expect.arrayContaining(['authorization', 'content-type', 'x-namespace']),
    );
    expect(ok.headers.get('access-control-allow-methods')).toContain('POST');

    expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
    const other = await call(stack.api.url, 'POST', '/codec/decode', {
      token: stack.platformToken,
      headers: { origin: 'https://evil.example' },
      body: { payloads: [await sealed('x')] },
    });
    expect(other.status).toBe(403);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('names the key of a payload it cannot open, and refuses a body that is not payloads', async () => {
    const [foreign] = await new EncryptionCodec(keyringOf(generatePayloadKeys('retired-2019'))).encode([
      defaultPayloadConverter.toPayload('x')!,
    ]);
    const unknown = await call(stack.api.url, 'POST', '/codec/decode', {
      token: stack.platformToken,
      body: { payloads: [toJson(foreign!)] },
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.detail).toMatch(/key "retired-2019", which is not configured/);
    const bad = await call(stack.api.url, 'POST', '/codec/decode', {
      token: stack.platformToken,
      body: { payloads: [{ data: '***' }] },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([{ field: 'payloads.0.data', message: 'must be base64' }]);
  });

  it('decodes for an operator signed in to the console (its codec session), and for nobody else', async () => {
    // The console, same origin as the API, opens the session with its platform token.
    const opened = await call(stack.api.url, 'POST', '/codec/session', {
      token: stack.platformToken,
      headers: { origin: stack.api.url },
    });
    expect(opened.status).toBe(204);
    const setCookie = opened.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^capstan_codec_session=[^;]+;/);
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=Strict/);
    expect(setCookie).toMatch(/; Path=\/codec/);
    const cookie = setCookie.split(';')[0]!;

    // The Web UI, its Data Encoder including credentials, sends the cookie.
    const payloads = [await sealed('shown in the Web UI')];
    const decoded = await call(stack.api.url, 'POST', '/codec/decode', {
      headers: { ...fromUi, cookie },
      body: { payloads },
    });
    expect(decoded.status).toBe(200);
    expect(decoded.headers.get('access-control-allow-origin')).toBe(UI);
    expect(defaultPayloadConverter.fromPayload(fromJson(decoded.body.payloads[0]))).toBe('shown in the Web UI');

    // No cookie: the Web UI's origin alone opens nothing.
    expect((await call(stack.api.url, 'POST', '/codec/decode', { headers: fromUi, body: { payloads } })).status).toBe(
      401,
    );
    // A cookie edited to name another token, or cut short, is refused.
    const [id, rest] = [cookie.split('=')[1]!.split('.')[0]!, cookie.split('=')[1]!.split('.').slice(1).join('.')];
    for (const forged of [`capstan_codec_session=${Number(id) + 1}.${rest}`, cookie.slice(0, -4)])
      expect(
        (
          await call(stack.api.url, 'POST', '/codec/decode', {
            headers: { ...fromUi, cookie: forged },
            body: { payloads },
          })
        ).status,
      ).toBe(401);
    // The cookie is the codec's only: the API does not read it.
    expect((await call(stack.api.url, 'GET', '/v1/accounts', { headers: { cookie } })).status).toBe(401);
    // A user token opens no session.
    const account = await newAccount(stack, 'codec-session');
    const user = await call(stack.api.url, 'POST', '/codec/session', { token: account.adminToken });
    expect(user.status).toBe(403);
    expect(user.headers.get('set-cookie')).toBeNull();
    // Signing out closes it.
    const closed = await call(stack.api.url, 'DELETE', '/codec/session', { headers: { cookie } });
    expect(closed.status).toBe(204);
    expect(closed.headers.get('set-cookie')).toMatch(/^capstan_codec_session=;.*Max-Age=0/);
  });

  it('ends a codec session with the platform token it came from', async () => {
    const plaintext = issueToken().plaintext;
    await ensurePlatformToken(stack.sql, unique('codec-session'), plaintext);
    const opened = await call(stack.api.url, 'POST', '/codec/session', { token: plaintext });
    const cookie = (opened.headers.get('set-cookie') ?? '').split(';')[0]!;
    const decode = async () =>
      (
        await call(stack.api.url, 'POST', '/codec/decode', {
          headers: { ...fromUi, cookie },
          body: { payloads: [await sealed('x')] },
        })
      ).status;
    expect(await decode()).toBe(200);
    await stack.sql`update access_tokens set revoked_at = now() where token_sha256 = ${hashToken(plaintext)}`;
    expect(await decode()).toBe(401);
  });
});
