import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NativeConnection, Worker } from '@temporalio/worker';

export interface WorkerHealthOptions {
  workers: Array<Pick<Worker, 'getState' | 'options'>>;
  connection: Pick<NativeConnection, 'workflowService' | 'withDeadline'>;
  hostname: string;
  /** 0 picks a free port (tests). */
  port: number;
  timeoutMs?: number;
}

export interface WorkerHealthServer {
  url: string;
  close(): Promise<void>;
}

/**
 * `/healthz`: the process answers. `/readyz`: every worker polls (state RUNNING) and the
 * connection reaches Temporal; 503 otherwise, with what is down. Kept apart from the SDK's
 * Prometheus exporter (METRICS_PORT), which answers as long as the runtime lives.
 */
export function serveWorkerHealth(options: WorkerHealthOptions): Promise<WorkerHealthServer> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://worker').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { status: 'method not allowed' });
    if (path === '/healthz') return json(res, 200, { status: 'ok' });
    if (path !== '/readyz') return json(res, 404, { status: 'not found' });
    readiness(options).then(
      ({ ready, checks }) => json(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', checks }),
      () => json(res, 503, { status: 'not ready', checks: {} }),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.hostname, () => {
      const { port } = server.address() as AddressInfo;
      const host = options.hostname.includes(':') ? `[${options.hostname}]` : options.hostname;
      resolve({
        url: `http://${host}:${port}`,
        close: () =>
          new Promise((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

async function readiness({ workers, connection, timeoutMs = 2000 }: WorkerHealthOptions) {
  const checks: Record<string, string> = {};
  for (const worker of workers) {
    const state = worker.getState();
    checks[`worker:${worker.options.taskQueue}`] = state === 'RUNNING' ? 'ok' : state.toLowerCase();
  }
  checks.temporal = (await reachable(connection, timeoutMs)) ? 'ok' : 'unreachable';
  return { ready: Object.values(checks).every((v) => v === 'ok'), checks };
}

async function reachable(connection: WorkerHealthOptions['connection'], timeoutMs: number): Promise<boolean> {
  try {
    await connection.withDeadline(Date.now() + timeoutMs, () => connection.workflowService.getSystemInfo({}));
    return true;
  } catch {
    return false;
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}
