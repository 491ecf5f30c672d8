import { Hono } from 'hono';
import type { Client } from '@temporalio/client';
import { pingDatabase, type Sql } from '../../db/pool.ts';

export interface HealthDeps {
  sql: Sql;
  temporal: Client;
}

/** `/healthz`: the process answers. `/readyz`: it can reach PostgreSQL and Temporal. */
export function healthRoutes({ sql, temporal }: HealthDeps) {
  const app = new Hono();

  app.get('/healthz', (c) => c.json({ status: 'ok' }));

  app.get('/readyz', async (c) => {
    const [database, temporalServer] = await Promise.all([pingDatabase(sql), pingTemporal(temporal)]);
    const ready = database && temporalServer;
    const checks = { postgres: database ? 'ok' : 'unreachable', temporal: temporalServer ? 'ok' : 'unreachable' };
    return c.json({ status: ready ? 'ready' : 'not ready', checks }, ready ? 200 : 503);
  });

  return app;
}

async function pingTemporal(client: Client, timeoutMs = 2000): Promise<boolean> {
  try {
    await client.withDeadline(Date.now() + timeoutMs, () => client.workflowService.getSystemInfo({}));
    return true;
  } catch {
    return false;
  }
}
