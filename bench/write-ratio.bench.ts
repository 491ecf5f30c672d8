/**
 * The write-cost target alone, in one process: POST /v1/accounts p50 at 1 in flight, and a write with nothing
 * after it (PATCH …/inboxes/{id}), over a bare no-op workflow's p50 (target + 15 ms), against the same Temporal and
 * PostgreSQL, alternating over rounds (bench/suite.bench.ts
 * measures it among everything else in ~6 min; this takes about one).
 */
import { randomUUID } from 'node:crypto';
import { apiCaller, inboxRenameRequest, provisionRequest } from './calls.ts';
import { benchNoop } from './floor-workflow.ts';
import { median } from './report.ts';
import { startBenchStack } from './stack.ts';
import { measure } from './stats.ts';

const COUNT = Number(process.env.BENCH_COUNT_1 ?? 40);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

const stack = await startBenchStack();
try {
  const noop = () =>
    stack.temporal.workflow.execute(benchNoop, { workflowId: `bench:${randomUUID()}`, taskQueue: 'capstan-bench' });
  const provision = provisionRequest(stack);
  const call = apiCaller(stack);
  const { account } = await call('POST', '/v1/accounts', {
    name: 'Bench',
    admin: { name: 'B', email: `${randomUUID()}@bench.test` },
  });
  const box = await call('POST', `/v1/accounts/${account.id}/inboxes`, { name: 'Bench' });
  const inbox = inboxRenameRequest(stack, account.id, box.id);
  await measure('warm-up no-op', 4, 24, noop);
  await measure('warm-up api', 4, 24, provision);
  await measure('warm-up inbox', 4, 24, inbox);
  const gaps: { c: number[]; c2: number[] } = { c: [], c2: [] };
  for (let round = 1; round <= ROUNDS; round++) {
    const a = await measure('(a) bare no-op workflow', 1, COUNT, noop);
    const c = await measure('(c) POST /v1/accounts', 1, COUNT, provision);
    const c2 = await measure('(c2) PATCH …/inboxes/{id}', 1, COUNT, inbox);
    gaps.c.push(c.p50 - a.p50);
    gaps.c2.push(c2.p50 - a.p50);
    console.log(
      `round ${round}: (a) p50 ${a.p50.toFixed(1)} ms | (c) p50 ${c.p50.toFixed(1)} ms (+${(c.p50 - a.p50).toFixed(1)}) | (c2) p50 ${c2.p50.toFixed(1)} ms (+${(c2.p50 - a.p50).toFixed(1)})`,
    );
  }
  console.log(
    `median p50 over (a) at 1 in flight: (c) +${median(gaps.c).toFixed(1)} ms, (c2) +${median(gaps.c2).toFixed(1)} ms (target ≤ +15 ms)`,
  );
} finally {
  await stack.stop();
}
process.exit(0);
