import { NativeConnection } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { serveWorkerHealth, type WorkerHealthOptions } from '../../workers/health.ts';
import { startStackWorkers, useStack } from '../support/stack.ts';

const stack = useStack({ worker: false });

async function get(url: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.json() };
}

describe('worker health server', () => {
  it('is ready while the workers run, and gone once they have shut down', async () => {
    const workers = await startStackWorkers(stack, {
      health: { hostname: '127.0.0.1', port: 0 },
    });
    const url = workers.healthUrl;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    try {
      expect(await get(`${url}/healthz`)).toEqual({ status: 200, body: { status: 'ok' } });
      expect(await get(`${url}/readyz`)).toEqual({
        status: 200,
        body: { status: 'ready', checks: { 'worker:capstan-core': 'ok', temporal: 'ok' } },
      });
    } finally {
      await workers.shutdown();
    }
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });

  it('answers 503 naming a stopped worker and an unreachable Temporal, while /healthz stays 200', async () => {
    const connection = await NativeConnection.connect({ address: stack.temporalAddress });
    await connection.close();
    const stopped = { getState: () => 'STOPPED', options: { taskQueue: 'capstan-core' } };
    const health = await serveWorkerHealth({
      workers: [stopped as unknown as WorkerHealthOptions['workers'][number]],
      connection,
      hostname: '127.0.0.1',
      port: 0,
    });
    try {
      expect(await get(`${health.url}/readyz`)).toEqual({
        status: 503,
        body: { status: 'not ready', checks: { 'worker:capstan-core': 'stopped', temporal: 'unreachable' } },
      });
      expect((await get(`${health.url}/healthz`)).status).toBe(200);
      expect((await get(`${health.url}/nothing`)).status).toBe(404);
    } finally {
      await health.close();
    }
  });
});
