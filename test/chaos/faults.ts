import { defaultFaults } from '../../sandbox/clever-cloud/state.ts';
import type { Rng } from './rng.ts';
import type { ChaosStack, Queue, WorkerSlot } from './stack.ts';

export const faultKinds = ['worker kill -9', 'temporal restart', 'postgres stop', 'sandbox faults'] as const;
export type FaultKind = (typeof faultKinds)[number];

export interface FaultPlan {
  /** Pause between faults, in ms. */
  gapMs: [number, number];
  postgresOutageMs: number;
  sandboxFaultMs: [number, number];
  /** How many times each kind is injected at least. */
  rounds: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Injects faults at random moments until the workload is done and every kind has happened
 * `plan.rounds` times: each round every kind once in a seeded order, then random kinds.
 * `progress.covered` turns true once those rounds are over, so the workload runs until then.
 */
export async function runFaults(
  stack: ChaosStack,
  rng: Rng,
  plan: FaultPlan,
  progress: { covered: boolean; done: boolean },
) {
  const counts = Object.fromEntries(faultKinds.map((k) => [k, 0])) as Record<FaultKind, number>;
  const firsts = Array.from({ length: plan.rounds }, () => rng.shuffle([...faultKinds])).flat();
  const log = (line: string) => console.log(`[chaos ${new Date().toISOString().slice(11, 19)}] ${line}`);
  const supervisor = superviseWorkers(stack, log);
  while (firsts.length || !progress.done) {
    await sleep(rng.int(...plan.gapMs));
    const kind = firsts.shift() ?? rng.pick(faultKinds);
    counts[kind]++;
    switch (kind) {
      case 'worker kill -9': {
        const slot = rng.pick(stack.workers);
        log(`kill -9 ${slot.queue} worker ${slot.process.child.pid}`);
        await supervisor.replace(slot);
        break;
      }
      case 'temporal restart':
        log('restarting Temporal');
        await stack.temporal.restart();
        log('Temporal back');
        break;
      case 'postgres stop':
        log(`stopping PostgreSQL for ${plan.postgresOutageMs / 1000} s`);
        await stack.stopDatabase();
        await sleep(plan.postgresOutageMs);
        await stack.startDatabase();
        log('PostgreSQL back');
        break;
      case 'sandbox faults': {
        const ms = rng.int(...plan.sandboxFaultMs);
        const latencyMs = rng.int(500, 3_000);
        log(`sandbox faults on for ${ms / 1000} s: Clever 30 % 5xx, ${latencyMs} ms answers; licensing 503`);
        stack.clever.state.faults = { ...defaultFaults, errorRate: 0.3, latencyMs };
        stack.licensing.sandbox.state.fault = 'error';
        await sleep(ms);
        stack.clever.state.faults = { ...defaultFaults };
        stack.licensing.sandbox.state.fault = 'none';
        log('sandbox faults off');
        break;
      }
    }
    if (!firsts.length) progress.covered = true;
  }
  supervisor.stop();
  return { counts, unexpectedExits: stack.workers.reduce((n, w) => n + w.unexpectedExits, 0) };
}

/** Replaces killed workers; a worker that dies on its own is counted and replaced too. */
function superviseWorkers(stack: ChaosStack, log: (line: string) => void) {
  let stopped = false;
  const killing = new Set<WorkerSlot>();
  const start = async (queue: Queue) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await stack.startWorker(queue);
      } catch (err) {
        // PostgreSQL or Temporal may be down right now: a real supervisor tries again too.
        if (attempt >= 20) throw err;
        await sleep(3_000);
      }
    }
  };
  const watch = (slot: WorkerSlot) => {
    slot.process.child.once('exit', () => {
      if (stopped || killing.has(slot)) return;
      slot.unexpectedExits++;
      log(`${slot.queue} worker exited on its own:\n${slot.process.output().slice(-2000)}`);
      void start(slot.queue).then((p) => {
        slot.process = p;
        watch(slot);
      });
    });
  };
  stack.workers.forEach(watch);
  return {
    async replace(slot: WorkerSlot) {
      killing.add(slot);
      await slot.process.kill('SIGKILL');
      slot.process = await start(slot.queue);
      killing.delete(slot);
      watch(slot);
      log(`${slot.queue} worker replaced by ${slot.process.child.pid}`);
    },
    stop: () => (stopped = true),
  };
}
