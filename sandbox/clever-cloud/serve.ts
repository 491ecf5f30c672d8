import { serve } from '@hono/node-server';
import type { SandboxCredentials } from './auth.ts';
import { createCleverSandbox } from './app.ts';

/** Serves the Clever Cloud sandbox on loopback; port 0 picks a free one. */
export function startCleverSandbox(credentials: SandboxCredentials, port = 0) {
  const { app, state } = createCleverSandbox(credentials);
  return new Promise<{ url: string; state: typeof state; close(): Promise<void> }>((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port }, (info) => {
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        state,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
    server.once('error', reject); // a port in use fails the start instead of crashing the process
  });
}
