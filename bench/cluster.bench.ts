/**
 * The engine floor (a bare workflow whose one activity inserts one row) and
 * POST /v1/accounts, on the Temporal dev server and on the real Temporal server
 * on PostgreSQL (`capstan cluster`), in one run: what the production engine costs.
 * Then two core worker processes on the real server share a mixed load (bench/cluster-spread.ts).
 * BENCH_SPREAD_COUNT sizes that part; BENCH_SPREAD_ONLY=1 runs it alone.
 */
import { floorRun, provisionRequest } from './calls.ts';
import { clusterSpread } from './cluster-spread.ts';
import { startBenchStack } from './stack.ts';
import { measure, type RunStats } from './stats.ts';

const COUNT = {
  1: Number(process.env.BENCH_COUNT_SERIAL ?? 40),
  16: Number(process.env.BENCH_COUNT_CONCURRENT ?? 160),
};
const rows: Array<{ target: string; concurrency: number; floor: RunStats; api: RunStats }> = [];

const SPREAD_ONLY = process.env.BENCH_SPREAD_ONLY === '1';
for (const target of SPREAD_ONLY ? [] : (['dev', 'cluster'] as const)) {
  const stack = await startBenchStack({ target });
  try {
    const floor = floorRun(stack);
    const provision = provisionRequest(stack);
    await measure('warm-up floor', 8, 32, floor);
    await measure('warm-up api', 8, 32, provision);
    for (const concurrency of [1, 16] as const) {
      const floorStats = await measure(`${target} floor`, concurrency, COUNT[concurrency], floor);
      const apiStats = await measure(`${target} POST /v1/accounts`, concurrency, COUNT[concurrency], provision);
      rows.push({ target, concurrency, floor: floorStats, api: apiStats });
    }
  } finally {
    await stack.stop();
  }
}

console.log('\n| target | in flight | floor /s | floor p50 ms | POST /v1/accounts /s | p50 ms | p99 ms |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows)
  console.log(
    `| ${r.target} | ${r.concurrency} | ${r.floor.perSecond.toFixed(1)} | ${r.floor.p50.toFixed(1)} | ${r.api.perSecond.toFixed(1)} | ${r.api.p50.toFixed(1)} | ${r.api.p99.toFixed(1)} |`,
  );

console.log('\nTwo `capstan worker --queue core` processes on the real Temporal server:');
for (const line of await clusterSpread(Number(process.env.BENCH_SPREAD_COUNT ?? 150))) console.log(line);
process.exit(0);
