import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../cli/local/free-port.ts';

const bin = fileURLToPath(new URL('../bin/capstan.js', import.meta.url));

/** `capstan api` as its own process, ready once /readyz answers 200. */
export async function startApiProcess(env: { databaseUrl: string; temporalAddress: string; payloadKeys: string }) {
  const port = await freePort();
  // BENCH_API_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR" profiles it (NODE_OPTIONS may not carry --cpu-prof).
  const nodeArgs = process.env.BENCH_API_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, bin, 'api'], {
    env: {
      ...process.env,
      DATABASE_URL: env.databaseUrl,
      TEMPORAL_ADDRESS: env.temporalAddress,
      CAPSTAN_PAYLOAD_KEYS: env.payloadKeys,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      DATABASE_POOL_MAX: '20',
      WEBHOOK_ALLOWED_RANGES: 'loopback',
      // The limiter still runs (its two upserts are part of every request's cost); it just never refuses one.
      API_RATE_LIMIT_PER_TOKEN: '1000000',
      API_RATE_LIMIT_PER_ADDRESS: '1000000',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`capstan api exited with ${child.exitCode}`);
    const ready = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) throw new Error('capstan api did not become ready in 30 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    pid: child.pid!,
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
