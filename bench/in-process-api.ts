import { createApp } from '../api/app.ts';
import { serveApi } from '../api/serve.ts';
import { createLogger } from '../config/logger.ts';
import { actorSecret } from '../db/installation.ts';
import { eagerClient } from '../workers/connect.ts';
import type { BenchStack } from './stack.ts';

/**
 * The API as `capstan up` runs it: in the workers' process, its client on their
 * connection, so every write starts eagerly on them.
 */
export async function startInProcessApi(stack: BenchStack) {
  if (!stack.workers) throw new Error("the API in the workers' process needs the workers in this process");
  const temporal = eagerClient(stack.workers.connection, stack.access, { actorSecret: await actorSecret(stack.sql) });
  const api = await serveApi(
    createApp({
      sql: stack.sql,
      temporal,
      logger: createLogger({ level: 'warn' }),
      rateLimits: { perToken: 1_000_000, perAddress: 1_000_000, windowSeconds: 60 },
    }),
    '127.0.0.1',
    0,
  );
  return { url: api.url, temporal, close: () => api.close() };
}
