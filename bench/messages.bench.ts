/**
 * Inbound messages through the API (HTTP → auth → ingestMessage → one
 * transaction with the outbox) against the floor of a bare no-op workflow run
 * to completion, in one run against the same servers, at 32 in flight:
 * spread over 32 conversations, and all into one conversation.
 */
import { randomUUID } from 'node:crypto';
import { apiCaller } from './calls.ts';
import { benchNoop } from './floor-workflow.ts';
import { startBenchStack } from './stack.ts';
import { measure, type RunStats } from './stats.ts';

const COUNT = Number(process.env.BENCH_COUNT ?? 480);
const CONCURRENCY = 32;

const stack = await startBenchStack();
try {
  const headers = { authorization: `Bearer ${stack.platformToken}`, 'content-type': 'application/json' };
  const call = apiCaller(stack);
  const provisioned = await call('POST', '/v1/accounts', {
    name: 'Bench',
    admin: { name: 'B', email: `${randomUUID()}@bench.test` },
  });
  const accountId = provisioned.account.id as number;
  const inbox = await call('POST', `/v1/accounts/${accountId}/inboxes`, { name: 'Bench API' });
  const path = `${stack.api.url}/v1/accounts/${accountId}/inboxes/${inbox.id}/messages`;

  const post = (contact: string) => async (i: number) => {
    const res = await fetch(path, {
      method: 'POST',
      headers,
      body: JSON.stringify({ contact: { identifier: contact }, content: `message ${i}`, source_id: randomUUID() }),
    });
    if (res.status !== 201) throw new Error(`POST messages answered ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
  };
  const floor = () =>
    stack.temporal.workflow.execute(benchNoop, { workflowId: `bench:${randomUUID()}`, taskQueue: 'capstan-bench' });
  const startOnly = () =>
    stack.temporal.workflow.start(benchNoop, { workflowId: `bench:${randomUUID()}`, taskQueue: 'capstan-bench' });

  await measure('warm-up', 8, 40, floor);
  await measure('warm-up', 8, 40, (i) => post(`warm-${i % 8}`)(i));

  const runs: RunStats[] = [
    await measure('bare workflow start only', CONCURRENCY, COUNT, startOnly),
    await measure('bare no-op workflow, to completion', CONCURRENCY, COUNT, floor),
    await measure('messages, 32 conversations', CONCURRENCY, COUNT, (i) => post(`spread-${i % 32}`)(i)),
    await measure('messages, one conversation', CONCURRENCY, COUNT, post('hot')),
  ];
  const floorRate = runs[1]!.perSecond;
  console.log(`\n${CONCURRENCY} in flight, ${COUNT} each      per s    p50 ms   p99 ms   vs no-op workflow`);
  for (const r of runs) {
    console.log(
      `  ${r.label.padEnd(36)} ${r.perSecond.toFixed(1).padStart(7)} ${r.p50.toFixed(1).padStart(8)} ${r.p99.toFixed(1).padStart(8)}   ${(r.perSecond / floorRate).toFixed(2)}×`,
    );
  }
  const [gaps] = await stack.sql<{ n: number; max: number }[]>`
    select count(*)::int as n, max(seq)::int as max from messages m join conversations c on c.id = m.conversation_id
     join contacts ct on ct.id = c.contact_id where ct.identifier = 'hot'`;
  console.log(
    `\none-conversation check: ${gaps!.n} messages, highest seq ${gaps!.max} (${gaps!.n === gaps!.max ? 'gap-free' : 'GAPS'})`,
  );
} finally {
  await stack.stop();
}
process.exit(0);
