/**
 * What circuit breakers save during an outage: Clever Cloud answers 503 to
 * everything for BENCH_OUTAGE_MS (60 s) while three `capstan worker`
 * processes run BENCH_DEPLOYS deploys; once with the catalogue's breakers,
 * once with BREAKERS_ENABLED=false. Prints the calls the sandbox saw during
 * the outage in each case, their ratio, and how long the deploys took to
 * finish once it ended (the price: a breaker waits for its half-open trial).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../cli/local/free-port.ts';
import { startTemporalDevServer } from '../cli/local/temporal-server.ts';
import { workflows } from '../contracts/workflows.ts';
import { generatePayloadKeys, keyringOf } from '../config/payload-keys.ts';
import { startEmbeddedDatabase } from '../db/embedded.ts';
import { actorSecret } from '../db/installation.ts';
import { migrate } from '../db/migrate.ts';
import { createPool } from '../db/pool.ts';
import { startCleverSandbox } from '../sandbox/clever-cloud/serve.ts';
import { defaultFaults } from '../sandbox/clever-cloud/state.ts';
import { EncryptionCodec } from '../workers/codec.ts';
import { connectClient } from '../workers/connect.ts';
import { startWorkflow } from '../workers/start.ts';

const DEPLOYS = Number(process.env.BENCH_DEPLOYS ?? 30);
const OUTAGE_MS = Number(process.env.BENCH_OUTAGE_MS ?? 60_000);
const WORKERS = 3;
const bin = fileURLToPath(new URL('../bin/capstan.js', import.meta.url));

const workDir = await mkdtemp(join(tmpdir(), 'capstan-bench-breakers-'));
const [temporalServer, database] = await Promise.all([
  process.env.TEMPORAL_ADDRESS
    ? { address: process.env.TEMPORAL_ADDRESS, stop: async () => {} }
    : startTemporalDevServer(),
  process.env.DATABASE_URL
    ? { url: process.env.DATABASE_URL, stop: async () => {} }
    : freePort().then((port) => startEmbeddedDatabase({ dataDir: join(workDir, 'pg'), port, ephemeral: true })),
]);
await migrate(database.url);
const sql = createPool({ url: database.url, max: 4 });
const payloadKeys = process.env.CAPSTAN_PAYLOAD_KEYS ?? generatePayloadKeys('bench');
const access = {
  address: temporalServer.address,
  namespace: 'default',
  codec: new EncryptionCodec(keyringOf(payloadKeys)),
};
const temporal = await connectClient(access, { actorSecret: await actorSecret(sql) });
const sandbox = await startCleverSandbox({
  consumerKey: 'ck',
  consumerSecret: 'cs',
  userTokens: {},
  apiTokens: ['bench'],
});

function startWorker(breakers: boolean): Promise<ChildProcess> {
  const child = spawn(process.execPath, [bin, 'worker'], {
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      TEMPORAL_ADDRESS: temporalServer.address,
      CAPSTAN_PAYLOAD_KEYS: payloadKeys,
      CLEVER_API_URL: sandbox.url,
      CLEVER_API_BRIDGE_URL: sandbox.url,
      CLEVER_API_TOKEN: 'bench',
      BREAKERS_ENABLED: String(breakers),
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => c.toString().includes('"workers running"') && resolve(child));
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
  });
}

async function run(breakers: boolean) {
  await sql`delete from breakers`;
  const workers = await Promise.all(Array.from({ length: WORKERS }, () => startWorker(breakers)));
  sandbox.state.faults = { ...defaultFaults, errorRate: 1, deployDurationMs: 2_000, notFoundMs: 200 };
  const before = sandbox.state.calls;
  const handles = await Promise.all(
    Array.from({ length: DEPLOYS }, async () => {
      const appId = `app-${randomUUID().slice(0, 8)}`;
      sandbox.state.addApp('orga_bench', appId, appId, '00000000');
      const input = {
        ownerId: 'orga_bench',
        appId,
        commit: 'abcdef01',
        pollIntervalMs: 1_000,
        deadlineMs: 15 * 60_000,
        actor: { type: 'Operator' as const, id: 'bench' },
      };
      return startWorkflow(temporal, workflows.deployApplication, input, input);
    }),
  );
  await new Promise((r) => setTimeout(r, OUTAGE_MS));
  const duringOutage = sandbox.state.calls - before;
  sandbox.state.faults = { ...sandbox.state.faults, errorRate: 0 };
  const recovered = Date.now();
  const outcomes = await Promise.all(handles.map((h) => h.result().catch(() => ({ status: 'error' }))));
  const recoveryMs = Date.now() - recovered;
  for (const w of workers) w.kill('SIGTERM');
  await Promise.all(workers.map((w) => new Promise((r) => (w.exitCode === null ? w.once('exit', r) : r(null)))));
  return {
    duringOutage,
    succeeded: outcomes.filter((o) => o.status === 'succeeded').length,
    recoveryMs,
  };
}

try {
  const on = await run(true);
  const off = await run(false);
  console.log(
    `Clever Cloud outage of ${OUTAGE_MS / 1000} s, ${WORKERS} worker processes, ${DEPLOYS} deploys in flight`,
  );
  console.log('breakers   calls during outage   deploys succeeded   all done after recovery');
  for (const [label, r] of [
    ['on', on],
    ['off', off],
  ] as const)
    console.log(
      `${label.padEnd(10)} ${String(r.duringOutage).padStart(19)}   ${`${r.succeeded}/${DEPLOYS}`.padStart(17)}   ${`${(r.recoveryMs / 1000).toFixed(1)} s`.padStart(23)}`,
    );
  console.log(`ratio (off / on): ${(off.duringOutage / Math.max(1, on.duringOutage)).toFixed(1)}×`);
} finally {
  await temporal.connection.close();
  await sql.end();
  await sandbox.close();
  await Promise.allSettled([temporalServer.stop(), database.stop()]);
  await rm(workDir, { recursive: true, force: true });
}
