/** What a benchmark measures of the processes themselves: start times, memory, CLI latency. */
import { spawn } from 'node:child_process';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../cli/local/free-port.ts';
import { startTemporalDevServer } from '../cli/local/temporal-server.ts';
import { stopChild } from '../cli/local/temporal-server.ts';
import { until } from '../test/support/receiver.ts';

const bin = fileURLToPath(new URL('../bin/capstan.js', import.meta.url));
const settleMs = Number(process.env.BENCH_SETTLE_MS ?? 10_000);

/** Wall time of `capstan <args>` to exit, median of `runs`; a failing command fails the run. */
export async function cliTime(args: string[], env: Record<string, string>, runs = 5): Promise<number> {
  return (await cliVsNode(args, env, runs)).capstan;
}

/**
 * `capstan <args>` and `node -e 0` (node's own start, the yardstick) in turns, medians of each: turns keep a
 * shared machine's drift off the difference.
 */
export async function cliVsNode(
  args: string[],
  env: Record<string, string>,
  runs = 7,
): Promise<{ capstan: number; node: number }> {
  const time = async (argv: string[]) => {
    const t0 = performance.now();
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, argv, { env: { ...process.env, ...env }, stdio: 'ignore' });
      child.once('exit', resolve);
    });
    if (code !== 0) throw new Error(`${argv.join(' ')} exited with ${code}`);
    return performance.now() - t0;
  };
  const capstan: number[] = [];
  const node: number[] = [];
  for (let i = 0; i < runs; i++) {
    capstan.push(await time([bin, ...args]));
    node.push(await time(['-e', '0']));
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return { capstan: median(capstan), node: median(node) };
}

/** Resident memory of a `capstan worker` once ready and left idle for BENCH_SETTLE_MS. */
export async function workerIdleRss(env: Record<string, string>): Promise<number> {
  const healthPort = await freePort();
  const child = spawn(process.execPath, [bin, 'worker'], {
    env: { ...process.env, ...env, WORKER_HEALTH_PORT: String(healthPort), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await until(
      `capstan worker ready on ${healthPort}`,
      () =>
        fetch(`http://127.0.0.1:${healthPort}/readyz`).then(
          (r) => r.ok,
          () => false,
        ),
      60_000,
    );
    await new Promise((r) => setTimeout(r, settleMs));
    const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
  } finally {
    await stopChild(child);
  }
}

/** `temporal server start-dev` alone, with the Web UI as `capstan up` runs it: ms until it serves. */
export async function startDevTime(): Promise<number> {
  const t0 = performance.now();
  const server = await startTemporalDevServer({ uiPort: await freePort() });
  const ms = performance.now() - t0;
  await server.stop();
  return ms;
}

/** `capstan up` in a fresh data directory, then again in the same one: ms until it prints "Capstan is up." */
export async function upTimes(): Promise<{ first: number; again: number }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'capstan-bench-up-'));
  const ports = {
    PORT: await freePort(),
    TEMPORAL_PORT: await freePort(),
    TEMPORAL_UI_PORT: await freePort(),
    EMBEDDED_POSTGRES_PORT: await freePort(),
    CLEVER_SANDBOX_PORT: await freePort(),
    LICENSING_SANDBOX_PORT: await freePort(),
    MAIL_SANDBOX_PORT: await freePort(),
  };
  const env = { ...process.env, ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])) };
  const once = async () => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [bin, 'up'], {
      env: { ...env, CAPSTAN_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (c: Buffer) => {
          out += c.toString();
          if (out.includes('Capstan is up.')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`capstan up exited with ${code}`)));
      });
      return performance.now() - t0;
    } finally {
      // A SIGTERM within moments of "Capstan is up." has left the embedded PostgreSQL running: give it a second.
      await new Promise((r) => setTimeout(r, 2000));
      await stopChild(child, 60_000); // the time `capstan up` needs to stop what it started
    }
  };
  try {
    return { first: await once(), again: await once() };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
