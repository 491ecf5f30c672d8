/**
 * A customer's message in → an agent's reply out → the API channel's callback receives it and verifies its
 * signature with the inbox's secret. p50 and p99 at 1 and 8 in flight, each as a ratio to a bare no-op
 * workflow run to completion at the same concurrency, measured in the same run against the same servers.
 */
import { randomUUID } from 'node:crypto';
import { benchNoop } from './floor-workflow.ts';
import { startBenchStack } from './stack.ts';
import { measure, type RunStats } from './stats.ts';
import { startVerifyingReceiver } from './webhook-receiver.ts';

const LEVELS = [1, 8] as const;
const COUNTS = { 1: Number(process.env.BENCH_COUNT_1 ?? 30), 8: Number(process.env.BENCH_COUNT_8 ?? 120) };

const stack = await startBenchStack();
const receiver = await startVerifyingReceiver();
try {
  const send = async (token: string, path: string, body: unknown) => {
    const res = await fetch(`${stack.api.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status !== 201) throw new Error(`POST ${path} answered ${res.status}: ${await res.text()}`);
    return res.json();
  };
  const email = `${randomUUID()}@bench.test`;
  const provisioned = await send(stack.platformToken, '/v1/accounts', {
    name: 'Bench replies',
    admin: { name: 'Agent', email },
  });
  const accountId = provisioned.account.id as number;
  // The administrator redeems the one-time sign-in link mailed to them for a token of their own: the agent who replies.
  const mailed = (await stack.mail.mailbox.waitFor(email)).text;
  const redeemed = await fetch(`${stack.api.url}/v1/sign-in-links/redeem`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: /\bsil_[A-Za-z0-9_-]{43}\b/.exec(mailed)?.[0] }),
  });
  if (redeemed.status !== 201) throw new Error(`redeem answered ${redeemed.status}: ${await redeemed.text()}`);
  const agentToken = (await redeemed.json()).access_token as string;
  const inbox = await send(agentToken, `/v1/accounts/${accountId}/inboxes`, {
    name: 'Bench API',
    webhook_url: receiver.url,
  });
  receiver.setSecret(inbox.webhook_secret);

  // One conversation per customer: the reply waits on its own conversation's row lock only.
  const roundtrip = async (i: number) => {
    const customer = `bench-${i % 32}`;
    const incoming = await send(agentToken, `/v1/accounts/${accountId}/inboxes/${inbox.id}/messages`, {
      contact: { identifier: customer },
      content: `question ${randomUUID()}`,
    });
    const content = `answer ${randomUUID()}`;
    const arrived = receiver.delivered(content);
    await send(agentToken, `/v1/accounts/${accountId}/conversations/${incoming.conversation_id}/messages`, { content });
    await arrived;
  };
  const floor = () =>
    stack.temporal.workflow.execute(benchNoop, { workflowId: `bench:${randomUUID()}`, taskQueue: 'capstan-bench' });

  await measure('warm-up', 4, 20, floor);
  await measure('warm-up', 4, 20, roundtrip);

  const rows: Array<{ level: number; floor: RunStats; reply: RunStats }> = [];
  for (const level of LEVELS) {
    const floorRun = await measure('bare no-op workflow', level, COUNTS[level], floor);
    const replyRun = await measure('message in → reply → callback verified', level, COUNTS[level], roundtrip);
    rows.push({ level, floor: floorRun, reply: replyRun });
  }
  console.log('\nin flight  count   floor p50/p99 ms   roundtrip p50/p99 ms   ratio p50   ratio p99');
  for (const { level, floor: f, reply: r } of rows)
    console.log(
      `  ${String(level).padStart(7)} ${String(r.count).padStart(6)}   ${f.p50.toFixed(1).padStart(7)} / ${f.p99.toFixed(1).padEnd(7)}   ${r.p50.toFixed(1).padStart(9)} / ${r.p99.toFixed(1).padEnd(9)}   ${(r.p50 / f.p50).toFixed(2).padStart(8)}×  ${(r.p99 / f.p99).toFixed(2).padStart(8)}×`,
    );
  console.log(`\nsignatures refused by the receiver: ${receiver.refused}`);
  if (receiver.refused > 0) process.exitCode = 1;
} finally {
  await receiver.close();
  await stack.stop();
}
process.exit(process.exitCode ?? 0);
