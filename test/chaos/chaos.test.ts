import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faultKinds, runFaults, type FaultPlan } from './faults.ts';
import { checkInvariants, settle } from './invariants.ts';
import { seededRng } from './rng.ts';
import { startChaosStack, type ChaosStack } from './stack.ts';
import { runWorkload } from './workload.ts';

/**
 * The chaos run (docs/chaos.md): a mixed workload through the HTTP API while a driver kills
 * workers, restarts Temporal, stops PostgreSQL and turns sandbox faults on and off; then
 * every invariant, checked from the database and the sandboxes. CHAOS_SIZE=short|full,
 * CHAOS_TEMPORAL=cluster|dev (full: cluster by default), CHAOS_SEED to replay a run.
 */
const size = process.env.CHAOS_SIZE === 'short' ? 'short' : 'full';
const temporalKind = (process.env.CHAOS_TEMPORAL ?? (size === 'full' ? 'cluster' : 'dev')) as 'cluster' | 'dev';
const seed = process.env.CHAOS_SEED ? Number(process.env.CHAOS_SEED) : randomInt(2 ** 31);
// One stream each, so the faults replay from the seed however many deliveries the receiver saw.
const rng = { faults: seededRng(seed), load: seededRng(seed + 1), receiver: seededRng(seed + 2) };
const shape = {
  short: { units: 6, concurrency: 3, settleMs: 180_000, timeoutMs: 900_000 },
  full: { units: 20, concurrency: 4, settleMs: 480_000, timeoutMs: 2_400_000 },
}[size];
const plan: FaultPlan =
  size === 'short'
    ? { gapMs: [3_000, 8_000], postgresOutageMs: 10_000, sandboxFaultMs: [4_000, 8_000], rounds: 1 }
    : { gapMs: [8_000, 25_000], postgresOutageMs: 30_000, sandboxFaultMs: [10_000, 20_000], rounds: 2 };
const minimumWorkflows = size === 'short' ? 60 : 200;

let stack: ChaosStack;
beforeAll(async () => {
  console.log(`chaos: size ${size}, Temporal ${temporalKind}, seed ${seed} (CHAOS_SEED=${seed} replays it)`);
  stack = await startChaosStack({ temporal: temporalKind, rng: rng.receiver, coreWorkers: 2 });
}, 1_200_000);
afterAll(async () => {
  await stack?.close();
});

describe(`chaos run (${size}, ${temporalKind})`, () => {
  it(
    'loses nothing and duplicates nothing through every kind of fault',
    async () => {
      const began = Date.now();
      const progress = { covered: false, done: false };
      const load = { units: shape.units, concurrency: shape.concurrency, keepGoing: () => !progress.covered };
      const [{ expected, sent }, faults] = await Promise.all([
        runWorkload(stack, rng.load, load).finally(() => (progress.done = true)),
        runFaults(stack, rng.faults, plan, progress),
      ]);
      const driven = Date.now();
      await settle(stack, shape.settleMs);
      const verdict = await checkInvariants(stack, expected, sent);
      const rows: Array<[string, number | string]> = [
        ...faultKinds.map((k) => [`faults: ${k}`, faults.counts[k]] as [string, number]),
        ['workers that died on their own', faults.unexpectedExits],
        ['requests sent (driver, with retries)', `${sent.length} (${sent.reduce((n, r) => n + r.attempts, 0)})`],
        ['workflows', verdict.workflows],
        ['completed', verdict.completed],
        ['dead-lettered', verdict.deadLettered],
        ['lost', verdict.lost],
        ['duplicated', verdict.duplicated],
        [
          'seconds: load + faults / settle',
          `${Math.round((driven - began) / 1000)} / ${Math.round((Date.now() - driven) / 1000)}`,
        ],
      ];
      const width = Math.max(...rows.map(([k]) => k.length));
      console.log(
        [`chaos ${size} on ${temporalKind}, seed ${seed}`, ...rows.map(([k, n]) => `${k.padEnd(width)}  ${n}`)].join(
          '\n',
        ),
      );
      if (verdict.findings.length) console.log(verdict.findings.join('\n'));

      expect(verdict.lost, verdict.findings.join('\n')).toBe(0);
      expect(verdict.duplicated, verdict.findings.join('\n')).toBe(0);
      expect(verdict.workflows).toBeGreaterThanOrEqual(minimumWorkflows);
      // A worker rides out every outage: it waits for PostgreSQL at start and survives a lost connection.
      expect(faults.unexpectedExits, 'workers that died on their own').toBe(0);
      for (const kind of faultKinds) expect(faults.counts[kind], kind).toBeGreaterThan(0);
    },
    shape.timeoutMs,
  );
});
