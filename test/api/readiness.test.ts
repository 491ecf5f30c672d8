import { Client, Connection } from '@temporalio/client';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.ts';
import { freePort } from '../../cli/local/free-port.ts';
import { createLogger } from '../../config/logger.ts';
import { createPool } from '../../db/pool.ts';

describe('/readyz with its dependencies down', () => {
  const closers: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const close of closers) await close();
  });

  it('answers 503 and names what is unreachable, while /healthz stays 200', async () => {
    const deadPort = await freePort();
    const sql = createPool({ url: `postgres://nobody:nothing@127.0.0.1:${deadPort}/none`, max: 1 });
    const connection = Connection.lazy({ address: `127.0.0.1:${deadPort}` });
    closers.push(
      () => sql.end({ timeout: 1 }),
      () => connection.close(),
    );
    const app = createApp({ sql, temporal: new Client({ connection }), logger: createLogger({ level: 'silent' }) });

    const ready = await app.request('/readyz');
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({
      status: 'not ready',
      checks: { postgres: 'unreachable', temporal: 'unreachable' },
    });
    expect((await app.request('/healthz')).status).toBe(200);
  });
});
