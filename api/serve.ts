import { serve, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';

export interface RunningApi {
  url: string;
  close(): Promise<void>;
}

/** Serves an app (the API, or its metrics on their own port) until `close()`. */
export function serveApi(app: Pick<Hono, 'fetch'>, hostname: string, port: number): Promise<RunningApi> {
  return new Promise((resolve, reject) => {
    let server: ServerType;
    try {
      server = serve({ fetch: app.fetch, hostname, port }, (info) => {
        resolve({
          url: `http://${hostname}:${info.port}`,
          close: () => new Promise((done) => server.close(() => done())),
        });
      });
      server.once('error', reject);
    } catch (err) {
      reject(err);
    }
  });
}
