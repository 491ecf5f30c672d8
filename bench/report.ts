import type { RunStats } from './stats.ts';

export const median = (xs: number[]) => {
  const s = [...xs].sort((x, y) => x - y);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const num = (n: number, digits = 1) => n.toFixed(digits).padStart(8);

/** Medians over rounds per concurrency, then the ratios (b)/(a) against the targets. */
export function printReport(results: Array<{ concurrency: number; a: RunStats; b: RunStats }>): void {
  console.log('\nmedian of rounds   run                              wf/s    p50 ms   p99 ms');
  const levels = [...new Set(results.map((r) => r.concurrency))];
  const summary = levels.map((concurrency) => {
    const rs = results.filter((r) => r.concurrency === concurrency);
    const pick = (side: 'a' | 'b') => ({
      label: rs[0]![side].label,
      perSecond: median(rs.map((r) => r[side].perSecond)),
      p50: median(rs.map((r) => r[side].p50)),
      p99: median(rs.map((r) => r[side].p99)),
    });
    const a = pick('a');
    const b = pick('b');
    for (const s of [a, b])
      console.log(
        `  ${String(concurrency).padStart(2)} in flight      ${s.label.padEnd(30)} ${num(s.perSecond)} ${num(s.p50)} ${num(s.p99)}`,
      );
    return { concurrency, a, b };
  });

  console.log(
    '\nratios (b)/(a)      throughput    p50       p99     targets: throughput ≥ 0.70×, p50 ≤ 1.3×(a) + 3 ms',
  );
  for (const { concurrency, a, b } of summary) {
    const limit = 1.3 * a.p50 + 3;
    console.log(
      `  ${String(concurrency).padStart(2)} in flight     ${num(b.perSecond / a.perSecond, 2)}× ${num(b.p50 / a.p50, 2)}× ${num(b.p99 / a.p99, 2)}×   ` +
        `throughput ${b.perSecond / a.perSecond >= 0.7 ? 'met' : 'MISSED'}, p50 ${b.p50 <= limit ? 'met' : 'MISSED'} (${b.p50.toFixed(1)} vs limit ${limit.toFixed(1)} ms)`,
    );
  }
}
