/**
 * Where the CPU goes at 32 in flight: the floor (b) and POST /v1/accounts (c), each run alone, with the CPU
 * seconds every process spent (this one: workers and load; the API; the Temporal dev server; PostgreSQL) per
 * 100 runs. BENCH_ONLY="(c)" runs one. V8 profiles: `node --cpu-prof --cpu-prof-dir=DIR --import tsx` for this
 * process, BENCH_API_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR" for the API's.
 */
import { cpus } from 'node:os';
import { floorRun, provisionRequest } from './calls.ts';
import { cpuDuring } from './cpu.ts';
import { startBenchStack } from './stack.ts';
import { measure } from './stats.ts';

const COUNT = Number(process.env.BENCH_COUNT ?? 320);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);

const stack = await startBenchStack();
try {
  const runs = { '(b) bare workflow + 1 INSERT': floorRun(stack), '(c) POST /v1/accounts': provisionRequest(stack) };
  const only = process.env.BENCH_ONLY; // a label's start, e.g. "(c)"
  for (const label of Object.keys(runs)) if (only && !label.startsWith(only)) delete runs[label as keyof typeof runs];
  for (const run of Object.values(runs)) await measure('warm-up', 8, 40, run);
  console.log(`${CONCURRENCY} in flight, ${COUNT} runs each, ${cpus().length} cores; CPU seconds per 100 runs`);
  for (const [label, run] of Object.entries(runs)) {
    const { result, cpu } = await cpuDuring(() => measure(label, CONCURRENCY, COUNT, run));
    const shares = Object.entries(cpu)
      .sort(([, x], [, y]) => y - x)
      .map(([kind, s]) => `${kind} ${((s * 100) / COUNT).toFixed(2)}`)
      .join(' | ');
    const total = Object.values(cpu).reduce((x, y) => x + y, 0);
    console.log(
      `${label}: ${result.perSecond.toFixed(1)}/s p50 ${result.p50.toFixed(0)} ms; ` +
        `CPU ${((total * 100) / COUNT).toFixed(2)} s (${((total / result.seconds) * 100).toFixed(0)}% of one core): ${shares}`,
    );
  }
} finally {
  await stack.stop();
}
process.exit(0);
