/**
 * Finding (issue 20): the codec server let the local Web UI decode without a token when the request said
 * `Origin: http://localhost:8233` and came from a loopback address, so any local process, another OS user, or
 * anyone reaching the port through `ssh -L` / `kubectl port-forward` decoded payloads with
 * `curl -H 'Origin: http://localhost:8233'`. Now an Origin header opens nothing: only a platform token, or the
 * codec session cookie the console sets for a signed-in operator, decodes.
 */
import { defaultPayloadConverter } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.ts';
import { toJson } from '../../api/codec/payload-json.ts';
import { serveApi, type RunningApi } from '../../api/serve.ts';
import { localCodecServer } from '../../cli/local/codec-server.ts';
import { loadEnv } from '../../config/env.ts';
import { call } from '../support/http.ts';
import { roomyRateLimits, useStack } from '../support/stack.ts';

const stack = useStack({ worker: false });
// The API with the codec server exactly as `capstan up` serves it; this test's requests come from 127.0.0.1.
let local: RunningApi;
beforeAll(async () => {
  const codecServer = localCodecServer(loadEnv({}), stack.access.codec);
  local = await serveApi(
    createApp({
      sql: stack.sql,
      temporal: stack.temporal,
      logger: stack.logger,
      codecServer,
      rateLimits: roomyRateLimits,
    }),
    '127.0.0.1',
    0,
  );
});
afterAll(() => local?.close());

describe('a forged Origin', () => {
  it('decodes nothing from this machine without a token or a codec session', async () => {
    const [sealed] = await stack.access.codec.encode([
      defaultPayloadConverter.toPayload({ email: 'ana@example.test' })!,
    ]);
    const payloads = [toJson(sealed!)];
    for (const origin of ['http://localhost:8233', 'http://127.0.0.1:8233']) {
      const forged = await call(local.url, 'POST', '/codec/decode', {
        headers: { origin, 'x-namespace': 'default' },
        body: { payloads },
      });
      expect(forged.status, origin).toBe(401);
      expect(JSON.stringify(forged.body)).not.toContain('ana@example.test');
      // Nor with a session cookie of its own making.
      const cookie = 'capstan_codec_session=1.9999999999.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
      const made = await call(local.url, 'POST', '/codec/decode', {
        headers: { origin, cookie },
        body: { payloads },
      });
      expect(made.status, origin).toBe(401);
    }
  });
});
