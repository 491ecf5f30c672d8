import { AsyncLocalStorage } from 'node:async_hooks';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Vouch } from '../contracts/activities.ts';
import { actorSecret } from '../db/installation.ts';
import type { Sql } from '../db/pool.ts';
import { pruneNonces, spendNonce, type Spend } from '../db/proof-nonces.ts';
import { signedArgs, verifyProof } from '../domain/actor-proof.ts';
import { refuse } from './failures.ts';

/** The nonce the write running in this async context has yet to spend. */
const pending = new AsyncLocalStorage<{ spend: Spend; spent: boolean }>();

type Fn = (...args: any[]) => Promise<unknown>;

/**
 * Proofs checked where the work is done. A workflow hands its first write the input it was started
 * with (`vouch`); the write checks the actor's proof against the run's own type, id and that input,
 * and spends the proof's nonce as the first statement of the write's own transaction: no extra
 * activity, no extra transaction, and nothing is written unless both hold. A retried attempt of the
 * same run finds the nonce its own and passes; any other run is refused.
 */
export function createProofs({ sql: pool }: { sql: Sql }) {
  let secret: Promise<Uint8Array> | undefined;

  /** The nonce to spend; none for a schedule's standing proof. Refuses (Forbidden, final) a proof not for this run. */
  async function check(input: unknown): Promise<Spend | undefined> {
    const { workflowType = '', workflowExecution } = Context.current().info;
    const workflowId = workflowExecution?.workflowId ?? '';
    const verdict = verifyProof(await (secret ??= actorSecret(pool)), { type: workflowType, workflowId, input });
    if (verdict.outcome === 'refused')
      refuse(
        'Forbidden',
        `${workflowType} ${workflowId} is not vouched for by the API: ${verdict.reason}. Start writes through the API or the capstan CLI.`,
      );
    if (verdict.outcome === 'schedule') return undefined;
    return { ...verdict, workflowType, workflowId, runId: workflowExecution?.runId ?? '' };
  }

  async function spendIn(tx: Parameters<typeof spendNonce>[0], spend: Spend): Promise<void> {
    if (!(await spendNonce(tx, spend)))
      refuse('Forbidden', `The proof of ${spend.workflowType} ${spend.workflowId} was already spent by another run.`);
  }

  /** The pool as activities see it: inside a vouched write, its first transaction spends the nonce first. */
  const sql = new Proxy(pool, {
    get(target, prop) {
      if (prop !== 'begin') return Reflect.get(target, prop);
      return (...args: unknown[]) => {
        const state = pending.getStore();
        if (!state || state.spent) return (target.begin as Fn)(...args);
        const work = args.pop() as Fn;
        state.spent = true;
        return (target.begin as Fn)(...args, async (tx: Parameters<Fn>[0]) => {
          await spendIn(tx, state.spend);
          return work(tx);
        });
      };
    },
  });

  /** One activity, vouched when its command carries `vouch`; others run as they are. */
  const vouched = <F extends Fn>(activity: F): F =>
    (async (cmd?: { vouch?: Vouch }, ...rest: unknown[]) => {
      if (!cmd?.vouch) return activity(cmd, ...rest);
      const { vouch, ...command } = cmd;
      const spend = await check(vouch.input);
      if (!spend) return activity(command, ...rest);
      const state = { spend, spent: false };
      const result = await pending.run(state, () => activity(command, ...rest));
      if (!state.spent)
        throw ApplicationFailure.nonRetryable(`${activity.name} wrote outside a transaction: its proof was not spent`);
      return result;
    }) as F;

  return {
    sql,
    pruneProofNonces: ({ batch }: { batch: number }) => pruneNonces(pool, batch),
    /** A new run's arguments signed here, on the worker (a dead letter's retry): a fresh nonce for a new run. */
    resign: async (type: string, workflowId: string, args: unknown[]) =>
      signedArgs(await (secret ??= actorSecret(pool)), type, workflowId, args),
    vouchAll: <T extends Record<string, Fn>>(activities: T): T =>
      Object.fromEntries(Object.entries(activities).map(([name, fn]) => [name, vouched(fn)])) as T,
    activities: {
      /** Replayed from the histories of runs started before writes checked their own proof; never run again. */
      async checkActor(input: { workflowId: string }): Promise<void> {
        refuse('Forbidden', `${input.workflowId} was started before proofs bound the whole command; start it again.`);
      },
      /** For a run whose first act is not a write of ours (a deploy, a build): check and spend, on its own. */
      async spendProof(input: { started: unknown }): Promise<void> {
        const spend = await check(input.started);
        if (spend) await spendIn(pool, spend);
      },
    },
  };
}
