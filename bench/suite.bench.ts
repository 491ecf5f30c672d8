/**
 * `npm run bench`: in one run, against the same Temporal dev server and PostgreSQL, at 1, 8 and 32 in flight —
 * (a) a bare no-op workflow, (b) a bare workflow with one INSERT activity, (c) POST /v1/accounts through the API
 * process, (c+) the same with the API in the workers' process as `capstan up` runs it (eager start),
 * (d) a message post until its webhook is delivered and its signature verified, (e) the writes of (c) as one
 * direct PostgreSQL statement — then worker idle RSS, `capstan up` start against `temporal server start-dev`,
 * CLI start, and the issue's targets. Runs alternate per round so drift on a shared machine hits every run alike.
 * BENCH_ROUNDS, BENCH_COUNT_1, BENCH_COUNT_8, BENCH_COUNT_32 size it; BENCH_HOST=0 skips the process measures.
 */
import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { createAccountActivities } from '../activities/accounts.ts';
import { createLogger } from '../config/logger.ts';
import { issueSignInSecret } from '../db/tokens.ts';
import { apiCaller, floorRun, inboxRenameRequest, provisionRequest } from './calls.ts';
import { hops } from './hops.ts';
import { benchNoop } from './floor-workflow.ts';
import { cliTime, cliVsNode, startDevTime, upTimes, workerIdleRss } from './host.ts';
import { startInProcessApi } from './in-process-api.ts';
import { startBenchStack } from './stack.ts';
import { median } from './report.ts';
import { measure, type RunStats } from './stats.ts';
import { startVerifyingReceiver } from './webhook-receiver.ts';

const LEVELS = [1, 8, 32] as const;
const COUNTS = {
  1: Number(process.env.BENCH_COUNT_1 ?? 25),
  8: Number(process.env.BENCH_COUNT_8 ?? 120),
  32: Number(process.env.BENCH_COUNT_32 ?? 320),
};
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const HOST = process.env.BENCH_HOST !== '0';

const stack = await startBenchStack();
const receiver = await startVerifyingReceiver();
const inProcess = await startInProcessApi(stack);
try {
  const headers = { authorization: `Bearer ${stack.platformToken}`, 'content-type': 'application/json' };
  const call = apiCaller(stack);
  const provisioned = await call('POST', '/v1/accounts', {
    name: 'Bench',
    admin: { name: 'B', email: `${randomUUID()}@bench.test` },
  });
  const accountId = provisioned.account.id as number;
  const inbox = await call('POST', `/v1/accounts/${accountId}/inboxes`, { name: 'Bench API' });
  const hook = await call('POST', `/v1/accounts/${accountId}/webhooks`, {
    url: receiver.url,
    subscriptions: ['message_created'],
  });
  receiver.setSecret(hook.secret);
  const messages = `/v1/accounts/${accountId}/inboxes/${inbox.id}/messages`;

  const directWrite = createAccountActivities({ sql: stack.sql, logger: createLogger({ level: 'warn' }) });
  const runs: Record<string, (i: number) => Promise<unknown>> = {
    '(a) bare no-op workflow': () =>
      stack.temporal.workflow.execute(benchNoop, { workflowId: `bench:${randomUUID()}`, taskQueue: 'capstan-bench' }),
    '(b) bare workflow + 1 INSERT': floorRun(stack),
    '(c) POST /v1/accounts': provisionRequest(stack),
    '(c+) same, API in worker (up)': provisionRequest({ ...stack, api: { ...stack.api, url: inProcess.url } }),
    '(c2) PATCH …/inboxes/{id} (no mail)': inboxRenameRequest(stack, accountId, inbox.id),
    '(d) message → webhook verified': async (i) => {
      const content = `bench-${randomUUID()}`;
      const delivered = receiver.delivered(content);
      const res = await fetch(`${stack.api.url}${messages}`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ contact: { identifier: `bench-${i % 32}` }, content, source_id: randomUUID() }),
      });
      if (res.status !== 201) throw new Error(`POST messages answered ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
      await delivered;
    },
    '(e) same writes, direct SQL': async () => {
      const key = randomUUID();
      const link = issueSignInSecret();
      await directWrite.createAccountWithAdmin({
        name: 'Bench',
        locale: 'en',
        admin: { name: 'Bench', email: `${key}@bench.test` },
        idempotencyKey: key,
        signInLink: {
          sha256: link.sha256,
          prefix: link.prefix,
          expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        },
        actor: { type: 'PlatformApp', id: 'bench' },
        workflowId: `direct:${key}`,
      });
    },
  };

  for (const [label, run] of Object.entries(runs)) await measure(`warm-up ${label}`, 8, 24, run);
  const results: RunStats[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    for (const level of LEVELS) {
      for (const [label, run] of Object.entries(runs)) {
        const r = await measure(label, level, COUNTS[level], run);
        results.push(r);
        console.error(
          `round ${round} @${level} ${label.padEnd(32)} ${r.perSecond.toFixed(1)}/s p50 ${r.p50.toFixed(1)} ms`,
        );
      }
    }
  }
  if (receiver.refused) throw new Error(`${receiver.refused} webhook deliveries failed their signature check`);

  // One more (c) and (c+) at 1 in flight, traced: what comes before the start, each hop, and the answer after it.
  const traced = async (url: string) => {
    const key = randomUUID();
    const since = Date.now();
    const t0 = performance.now();
    const res = await fetch(`${url}/v1/accounts`, {
      method: 'POST',
      headers: { ...headers, 'idempotency-key': key },
      body: JSON.stringify({ name: 'Bench', admin: { name: 'Bench', email: `${key}@bench.test` } }),
    });
    await res.arrayBuffer();
    const total = performance.now() - t0;
    return `${total.toFixed(1)} ms: ${await hops(stack.temporal, `account:${key}`, since)}`;
  };
  const traces = [`(c)  ${await traced(stack.api.url)}`, `(c+) ${await traced(inProcess.url)}`];

  const host = HOST ? await hostFigures() : undefined;
  printSuite(results, host);
  console.log(`\nOne POST /v1/accounts at 1 in flight, ms from the request:\n  ${traces.join('\n  ')}`);
} finally {
  await inProcess.close();
  await receiver.close();
  await stack.stop();
}
process.exit(0);

async function hostFigures() {
  const serverEnv = {
    DATABASE_URL: stack.databaseUrl,
    TEMPORAL_ADDRESS: stack.temporalAddress,
    CAPSTAN_PAYLOAD_KEYS: stack.payloadKeys,
    SMTP_URL: stack.mail.smtpUrl,
  };
  const apiEnv = { CAPSTAN_API_URL: stack.api.url, CAPSTAN_BOOTSTRAP_TOKEN: stack.platformToken };
  return {
    rssMb: await workerIdleRss(serverEnv),
    version: await cliTime(['--version'], {}),
    breakers: await cliVsNode(['breakers', 'list'], apiEnv),
    startDev: await startDevTime(),
    up: await upTimes(),
  };
}

function printSuite(results: RunStats[], host: Awaited<ReturnType<typeof hostFigures>> | undefined) {
  const labels = [...new Set(results.map((r) => r.label))];
  const cell = (label: string, level: number) => {
    const rs = results.filter((r) => r.label === label && r.concurrency === level);
    return {
      perSecond: median(rs.map((r) => r.perSecond)),
      p50: median(rs.map((r) => r.p50)),
      p99: median(rs.map((r) => r.p99)),
    };
  };
  const f = (n: number, d = 1) => n.toFixed(d).padStart(7);
  console.log(
    `\nMedians of ${ROUNDS} rounds (${COUNTS[1]}/${COUNTS[8]}/${COUNTS[32]} runs at 1/8/32 in flight), ${cpus().length} cores, ${cpus()[0]?.model}`,
  );
  console.log(
    `| in flight | run                             |   per s |  p50 ms |  p99 ms | per s ÷(a) | per s ÷(b) | p50 ÷(a) | p50 ÷(b) |`,
  );
  console.log(`|---|---|---:|---:|---:|---:|---:|---:|---:|`);
  for (const level of LEVELS) {
    const a = cell(labels[0]!, level);
    const b = cell(labels[1]!, level);
    for (const label of labels) {
      const c = cell(label, level);
      console.log(
        `| ${String(level).padStart(9)} | ${label.padEnd(31)} | ${f(c.perSecond)} | ${f(c.p50)} | ${f(c.p99)} |` +
          ` ${f(c.perSecond / a.perSecond, 2)}× | ${f(c.perSecond / b.perSecond, 2)}× | ${f(c.p50 / a.p50, 2)}× | ${f(c.p50 / b.p50, 2)}× |`,
      );
    }
  }

  const a1 = cell(labels[0]!, 1);
  const b32 = cell(labels[1]!, 32);
  const targets: Array<[string, string, boolean]> = [];
  // The API as its own process pays one more hop than the floor's in-process client: 0.9× of it; in the workers' process, 1.0×.
  const labelOf = (prefix: string) => labels.find((l) => l.startsWith(prefix))!;
  // (c2) is the same write path without the mail provisioning starts after its answer.
  for (const [label, share] of [
    [labelOf('(c) '), 0.9],
    [labelOf('(c+)'), 1.0],
    [labelOf('(c2)'), 0.9],
  ] as const) {
    const c1 = cell(label, 1);
    const c32 = cell(label, 32);
    targets.push([
      `${label.slice(0, 4)} p50 @1 ≤ (a) p50 + 15 ms`,
      `${c1.p50.toFixed(1)} ≤ ${(a1.p50 + 15).toFixed(1)} ms`,
      c1.p50 <= a1.p50 + 15,
    ]);
    targets.push([
      `${label.slice(0, 4)} per s @32 ≥ ${share.toFixed(1)}× (b)`,
      `${(c32.perSecond / b32.perSecond).toFixed(2)}× (${c32.perSecond.toFixed(1)} vs ${b32.perSecond.toFixed(1)}/s)`,
      c32.perSecond >= share * b32.perSecond,
    ]);
  }
  const d32 = cell(labelOf('(d)'), 32);
  targets.push([
    `(d) per s @32 ≥ 0.6× (b)`,
    `${(d32.perSecond / b32.perSecond).toFixed(2)}× (${d32.perSecond.toFixed(1)} vs ${b32.perSecond.toFixed(1)}/s)`,
    d32.perSecond >= 0.6 * b32.perSecond,
  ]);
  if (host) {
    targets.push(['worker idle RSS < 250 MB', `${host.rssMb.toFixed(0)} MB`, host.rssMb < 250]);
    for (const [name, ms] of [
      ['first', host.up.first],
      ['again', host.up.again],
    ] as const)
      targets.push([
        `capstan up (${name === 'first' ? 'new data dir' : 'existing data'}) ≤ start-dev + 5 s`,
        `${(ms / 1000).toFixed(1)} s vs ${(host.startDev / 1000).toFixed(1)} + 5 s`,
        ms <= host.startDev + 5000,
      ]);
    targets.push(['capstan --version ≤ 400 ms', `${host.version.toFixed(0)} ms`, host.version <= 400]);
    const { capstan, node } = host.breakers;
    targets.push([
      'capstan breakers list ≤ node -e 0 + 250 ms',
      `${capstan.toFixed(0)} ≤ ${node.toFixed(0)} + 250 ms`,
      capstan <= node + 250,
    ]);
  }
  console.log('\n| target | measured | |\n|---|---|---|');
  for (const [what, measured, met] of targets) console.log(`| ${what} | ${measured} | ${met ? 'met' : 'MISSED'} |`);
  console.log('\nThe machine is shared: compare ratios, not absolute figures.');
}
