export interface RunStats {
  label: string;
  concurrency: number;
  count: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
}

/** Runs `task` `count` times with `concurrency` in flight; latencies in ms. */
export async function measure(
  label: string,
  concurrency: number,
  count: number,
  task: (i: number) => Promise<unknown>,
): Promise<RunStats> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const t0 = performance.now();
        await task(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { label, concurrency, count, seconds, perSecond: count / seconds, p50: at(0.5), p99: at(0.99) };
}
