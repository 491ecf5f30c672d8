import { spawn, type ChildProcess } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { devServerSearchAttributeFlags, searchAttributes } from '../../config/search-attributes.ts';
import { freePort } from './free-port.ts';
import { resolveTemporalBinary } from './temporal-binary.ts';

export interface DevServerOptions {
  /** SQLite file to keep data in; in memory when absent (tests). */
  dbFilename?: string;
  port?: number;
  /** Web UI port; no UI when absent. */
  uiPort?: number;
  /** The codec server the Web UI decodes payloads through (the browser calls it). */
  uiCodecEndpoint?: string;
  namespace?: string;
  /** More namespaces to create, each with Capstan's search attributes (tests isolate files this way). */
  extraNamespaces?: string[];
  log?: (line: string) => void;
  /** Extra `start-dev` flags, instead of devServerTuning (the dev-server benchmark compares settings). */
  tuning?: readonly string[];
}

const dynamicConfig = (key: string, value: string | number | boolean) => ['--dynamic-config-value', `${key}=${value}`];

/**
 * Dev-server settings `capstan up`, the tests and the benchmarks run with; bench/dev-server.bench.ts measures each
 * (figures in the README, Performance). The dev server has one history shard, whose transfer queue is read at most
 * 20 times a second by default: every task hop (start → workflow task → activity task → workflow task) waited up to
 * 50 ms for the next read, so a one-activity workflow took 150 ms at 1 in flight; at 1000 it takes 35-45 ms.
 * Eager activities hand an activity scheduled on the worker's own task queue back in the workflow task's answer,
 * one matching round trip fewer (150 → 99 ms without the first setting). Pollers and the sticky cache changed
 * nothing measurable, so they keep their defaults.
 */
const devServerTuning: readonly string[] = [
  ...dynamicConfig('history.transferProcessorMaxPollRPS', 1000),
  ...dynamicConfig('system.enableActivityEagerExecution', true),
  // One partition per task queue: with the handful of pollers of a local stack, a task written to a partition no
  // poller was waiting on sat there up to 2 s (1 % of concurrent message appends, p99 2.0 s → 0.13 s).
  ...dynamicConfig('matching.numTaskqueueReadPartitions', 1),
  ...dynamicConfig('matching.numTaskqueueWritePartitions', 1),
];

/**
 * For a SQLite file: write-ahead log, synced at checkpoints. The default (rollback journal, a sync per commit) made
 * the one-activity workflow 5× slower at 32 in flight; a local stack may lose its last commits on power loss, not
 * its file.
 */
const sqliteFileTuning = ['--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal'];

export interface DevServer {
  address: string;
  uiUrl?: string;
  stop(): Promise<void>;
}

/** Starts `temporal server start-dev` with Capstan's search attributes registered. */
export async function startTemporalDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const log = options.log ?? console.error;
  const namespace = options.namespace ?? 'default';
  const binary = await resolveTemporalBinary(log);
  const port = options.port ?? (await freePort());

  if (binary.source === 'sdk-download') {
    const env = await TestWorkflowEnvironment.createLocal({
      server: {
        namespace,
        port,
        dbFilename: options.dbFilename,
        uiPort: options.uiPort,
        searchAttributes: Object.values(searchAttributes),
        extraArgs: [
          ...(options.uiPort && options.uiCodecEndpoint ? ['--ui-codec-endpoint', options.uiCodecEndpoint] : []),
          ...(options.dbFilename ? sqliteFileTuning : []),
          ...(options.tuning ?? devServerTuning),
        ],
      },
    });
    return { address: env.address, uiUrl: uiUrl(options.uiPort), stop: () => env.teardown() };
  }

  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--namespace', namespace];
  for (const extra of options.extraNamespaces ?? []) args.push('--namespace', extra);
  args.push('--log-level', 'warn', ...devServerSearchAttributeFlags);
  if (options.dbFilename) args.push('--db-filename', options.dbFilename, ...sqliteFileTuning);
  args.push(...(options.tuning ?? devServerTuning));
  args.push(...(options.uiPort ? ['--ui-port', String(options.uiPort)] : ['--headless']));
  if (options.uiPort && options.uiCodecEndpoint) args.push('--ui-codec-endpoint', options.uiCodecEndpoint);

  const child = spawn(binary.path, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);

  const address = `127.0.0.1:${port}`;
  try {
    await waitUntilServing(address, child, 60_000);
  } catch (err) {
    child.kill('SIGKILL');
    const logged = [...output.matchAll(/level=(?:ERROR|FATAL) msg="((?:[^"\\]|\\.)*)"/g)].at(-1)?.[1];
    // The server's own output rides on the cause, for DEBUG=1.
    Object.assign(err as Error, { output });
    throw new Error(`Temporal dev server did not start (${logged ?? (err as Error).message})`, { cause: err });
  }
  // Should this process die without stopping it (a crash), the server goes too.
  const stopOnExit = () => child.kill('SIGTERM');
  process.once('exit', stopOnExit);
  child.once('exit', () => process.off('exit', stopOnExit));
  return { address, uiUrl: uiUrl(options.uiPort), stop: () => stopChild(child) };
}

function uiUrl(port?: number): string | undefined {
  return port ? `http://127.0.0.1:${port}` : undefined;
}

export async function waitUntilServing(address: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  child.once('exit', () => (exited = true));
  for (;;) {
    if (exited) throw new Error(`process exited with code ${child.exitCode}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`not serving on ${address} after ${timeoutMs} ms`, { cause: err });
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** SIGTERM first so the SQLite file is closed cleanly; SIGKILL if it lingers past `graceMs`. */
export function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
