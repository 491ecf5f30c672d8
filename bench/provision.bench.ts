/**
 * POST /v1/accounts (HTTP → auth → workflow → one statement) against the floor
 * (a bare workflow whose one activity inserts one row), against the same
 * Temporal and PostgreSQL, at 1 and 32 in flight, alternating over rounds.
 */
import { floorRun, provisionRequest } from './calls.ts';
import { printReport } from './report.ts';
import { startBenchStack } from './stack.ts';
import { measure, type RunStats } from './stats.ts';

const SIZES = {
  1: Number(process.env.BENCH_COUNT_SERIAL ?? 60),
  32: Number(process.env.BENCH_COUNT_CONCURRENT ?? 480),
};
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const stack = await startBenchStack();
try {
  const floor = floorRun(stack);
  const provision = provisionRequest(stack);

  await measure('warm-up floor', 8, 40, floor);
  await measure('warm-up api', 8, 40, provision);

  // Alternate (a) and (b) so drift on a shared 2-core machine hits both alike.
  const results: Array<{ concurrency: number; a: RunStats; b: RunStats }> = [];
  for (let round = 1; round <= ROUNDS; round++) {
    for (const concurrency of [1, 32] as const) {
      const a = await measure('(a) bare workflow + 1 insert', concurrency, SIZES[concurrency], floor);
      const b = await measure('(b) POST /v1/accounts', concurrency, SIZES[concurrency], provision);
      results.push({ concurrency, a, b });
      console.log(
        `round ${round} @${concurrency}: (a) ${a.perSecond.toFixed(1)}/s p50 ${a.p50.toFixed(1)} ms | (b) ${b.perSecond.toFixed(1)}/s p50 ${b.p50.toFixed(1)} ms`,
      );
    }
  }
  printReport(results);
} finally {
  await stack.stop();
}
process.exit(0);
