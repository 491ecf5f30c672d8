/**
 * The write-cost target alone, in one process: POST /v1/accounts p50 at 1 in flight ÷ a bare no-op
 * workflow's p50, against the same Temporal and PostgreSQL, alternating over rounds (bench/suite.bench.ts
 * measures it among everything else in ~6 min; this takes about one).
 */
import { randomUUID } from 'node:crypto';
import { provisionRequest } from './calls.ts';
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
  await measure('warm-up no-op', 4, 24, noop);
  await measure('warm-up api', 4, 24, provision);
  const ratios: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const a = await measure('(a) bare no-op workflow', 1, COUNT, noop);
    const c = await measure('(c) POST /v1/accounts', 1, COUNT, provision);
    ratios.push(c.p50 / a.p50);
    console.log(
      `round ${round}: (a) p50 ${a.p50.toFixed(1)} ms | (c) p50 ${c.p50.toFixed(1)} ms | ratio ${(c.p50 / a.p50).toFixed(2)}×`,
    );
  }
  console.log(`median ratio (c)/(a) at 1 in flight: ${median(ratios).toFixed(2)}× (target ≤ 3.0×)`);
} finally {
  await stack.stop();
}
process.exit(0);
