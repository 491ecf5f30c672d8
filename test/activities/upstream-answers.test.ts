import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CleverApiError, CleverClient } from '../../activities/clever-cloud/client.ts';
import { postHeartbeat } from '../../activities/licensing-server.ts';
import { startUpstream } from '../support/upstream.ts';

let upstream: Awaited<ReturnType<typeof startUpstream>>;
beforeAll(async () => (upstream = await startUpstream()));
afterAll(() => upstream.close());
beforeEach(() => Object.assign(upstream.state, { behaviour: 'ok', followed: 0, sent: 0, requests: 0 }));

const heartbeat = () => postHeartbeat(upstream.url, 'licence-key', 'inst:run', { installation_id: 'inst' });
const clever = () =>
  new CleverClient({ apiUrl: upstream.url, bridgeUrl: upstream.url, auth: { kind: 'token', token: 'api_tok' } });

describe('the licence heartbeat', () => {
  it('reads a normal answer', async () => {
    expect(await heartbeat()).toMatchObject({ httpStatus: 200, answer: { status: 'active' }, error: undefined });
  });

  it('does not follow a redirect: the attempt fails naming it, and the key goes nowhere else', async () => {
    upstream.state.behaviour = 'redirect';
    const result = await heartbeat();
    expect(result).toMatchObject({ httpStatus: 302, answer: undefined, failureType: 'HeartbeatFailed' });
    expect(result.error).toMatch(
      /answered 302 redirecting to http:\/\/127\.0\.0\.1:\d+\/elsewhere; redirects are not followed/,
    );
    expect(upstream.state.followed).toBe(0);
  });

  it.each(['huge', 'huge-declared'] as const)(
    'stops reading an oversized answer (%s) at 1 MiB: a final failure',
    async (behaviour) => {
      upstream.state.behaviour = behaviour;
      const result = await heartbeat();
      expect(result).toMatchObject({ httpStatus: 200, answer: undefined, failureType: 'UpstreamAnswerTooLarge' });
      expect(result.error).toMatch(/larger than 1048576 bytes/);
      await new Promise((r) => setTimeout(r, 100));
      expect(upstream.state.sent).toBeLessThan(16 * 1024 * 1024);
    },
  );
});

describe('the Clever Cloud client', () => {
  it('does not follow a redirect: a final CleverRequestRefused naming it', async () => {
    upstream.state.behaviour = 'redirect';
    const err = (await clever()
      .getApplication('orga_1', 'app_1')
      .catch((e: unknown) => e)) as CleverApiError;
    expect(err).toBeInstanceOf(CleverApiError);
    expect(err.status).toBe(302);
    expect(err.retryable).toBe(false);
    expect(err.toFailure()).toMatchObject({
      type: 'CleverRequestRefused',
      nonRetryable: true,
      message: expect.stringMatching(/redirects are not followed/),
    });
    expect(upstream.state.followed).toBe(0);
  });

  it.each(['huge', 'huge-declared'] as const)(
    'stops reading an oversized answer (%s) at 4 MiB: a final UpstreamAnswerTooLarge',
    async (behaviour) => {
      upstream.state.behaviour = behaviour;
      const err = await clever()
        .listDeployments('orga_1', 'app_1')
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ApplicationFailure);
      expect(err).toMatchObject({ type: 'UpstreamAnswerTooLarge', nonRetryable: true });
      expect((err as Error).message).toMatch(
        /Clever Cloud's answer to GET \/v2\/organisations\/orga_1\/applications\/app_1\/deployments\?limit=10 is larger than 4194304 bytes/,
      );
      await new Promise((r) => setTimeout(r, 100));
      expect(upstream.state.sent).toBeLessThan(16 * 1024 * 1024);
    },
  );
});
