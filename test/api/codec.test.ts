import { defaultPayloadConverter } from '@temporalio/common';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { CapstanApp } from '../../api/app.ts';
import { codecRoutes } from '../../api/codec/index.ts';
import { serveApi } from '../../api/serve.ts';
import { toJson, fromJson } from '../../api/codec/payload-json.ts';
import { generatePayloadKeys, keyringOf } from '../../config/payload-keys.ts';
import { EncryptionCodec } from '../../workers/codec.ts';
import { newAccount } from '../support/fixtures.ts';
import { call } from '../support/http.ts';
import { useStack } from '../support/stack.ts';

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

  it("lets the local stack's own Web UI decode without a token from this machine, and nobody else", async () => {
    const local = new Hono().route(
      '/codec',
      codecRoutes({
        sql: stack.sql,
        logger: stack.logger,
        codec: stack.access.codec,
        allowedOrigins: [UI, 'https://ui.example'],
        localUiOrigins: [UI],
      }),
    );
    const server = await serveApi(local as unknown as CapstanApp, '127.0.0.1', 0);
    try {
      const payloads = [await sealed('shown in the Web UI')];
      const fromLocalUi = await call(server.url, 'POST', '/codec/decode', { headers: fromUi, body: { payloads } });
      expect(fromLocalUi.status).toBe(200);
      expect(defaultPayloadConverter.fromPayload(fromJson(fromLocalUi.body.payloads[0]))).toBe('shown in the Web UI');
      const otherUi = await call(server.url, 'POST', '/codec/decode', {
        headers: { origin: 'https://ui.example' },
        body: { payloads },
      });
      expect(otherUi.status).toBe(401);
      const noOrigin = await call(server.url, 'POST', '/codec/decode', { body: { payloads } });
      expect(noOrigin.status).toBe(401);
    } finally {
      await server.close();
    }
    const notLocal = await call(stack.api.url, 'POST', '/codec/decode', {
      headers: fromUi,
      body: { payloads: [await sealed('x')] },
    });
    expect(notLocal.status).toBe(401); // the shared test API, like production, trusts no origin without a token
  });
});
